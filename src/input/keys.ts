// Turns Node's keypress events (readline's decoder) into one key name string:
// "j", "G", "/", "enter", "escape", "tab", "shift+tab", "ctrl+c", "up", "pagedown" …
export interface Keypress {
  name?: string;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  sequence?: string;
}

export function keyName(str: string | undefined, key: Keypress | undefined): string {
  const name = key?.name;
  // Node reports a lone ESC as name "escape" with meta set.
  if (name === 'escape') return 'escape';
  if (key?.ctrl && name) return `ctrl+${name}`;
  if (name === 'return' || name === 'enter') return key?.meta ? 'alt+enter' : 'enter';
  if (name === 'tab') return key?.shift ? 'shift+tab' : 'tab';
  if (key?.meta && name) return `alt+${name}`;
  const seq = str ?? key?.sequence ?? '';
  if ([...seq].length === 1 && seq >= ' ' && seq !== '\x7f') return seq;
  return name ?? seq;
}

/** Printable text a key adds to a text field, or '' for a control key. */
export function printable(str: string | undefined, key: Keypress | undefined): string {
  if (key?.ctrl || key?.meta) return '';
  if (!str) return '';
  return [...str].filter((ch) => ch >= ' ' && ch !== '\x7f').join('');
}
