// The prefix key machine (tmux style): bytes pass through to the focused pane until the
// prefix key arrives; the key after it is handed on (workspace/paneCommands.ts says what it
// does). The prefix pressed twice sends the prefix itself through.
import { UserError } from '../config/errors.js';

/** What the machine read: bytes for the focused pane, or the key pressed after the prefix. */
export type PrefixAction = { type: 'send'; data: string } | { type: 'key'; key: string };

/** "C-b", "C-a", "^b" or "ctrl+b" → the control byte. */
export function parsePrefixKey(spec: string): string {
  const m = /^(?:C-|\^|ctrl\+)([a-z@\[\\\]^_ ])$/i.exec(spec.trim());
  if (!m) throw new UserError(`prefix key "${spec}" is not a control key like C-b or C-a`);
  const c = m[1]!.toLowerCase();
  if (c === ' ' || c === '@') return '\x00';
  return String.fromCharCode(c.toUpperCase().charCodeAt(0) - 64);
}

/** Length of the first key in `s` (an escape sequence counts as one key). */
export function keyLength(s: string): number {
  if (s[0] !== '\x1b' || s.length === 1) return String.fromCodePoint(s.codePointAt(0)!).length;
  if (s[1] === '[') {
    let j = 2;
    while (j < s.length && !/[@-~]/.test(s[j]!)) j++;
    return Math.min(s.length, j + 1);
  }
  if (s[1] === 'O') return Math.min(s.length, 3);
  return 2;
}

export class PrefixMachine {
  armed = false;

  constructor(readonly prefix = '\x02') {}

  feed(data: string): PrefixAction[] {
    const out: PrefixAction[] = [];
    let pass = '';
    let i = 0;
    while (i < data.length) {
      if (!this.armed) {
        const at = data.indexOf(this.prefix, i);
        if (at < 0) {
          pass += data.slice(i);
          break;
        }
        pass += data.slice(i, at);
        this.armed = true;
        i = at + this.prefix.length;
        continue;
      }
      const len = keyLength(data.slice(i));
      const key = data.slice(i, i + len);
      i += len;
      this.armed = false;
      if (key === this.prefix) {
        pass += this.prefix;
        continue;
      }
      if (pass) out.push({ type: 'send', data: pass });
      pass = '';
      // what the key does is the workspace's key table's business (workspace/paneCommands.ts)
      out.push({ type: 'key', key });
    }
    if (pass) out.push({ type: 'send', data: pass });
    return out;
  }
}
