// Copy mode: scroll back through a pane's output, search, select and copy (its keys are the
// table in ../copyMode.ts). A copy goes into the workspace's paste buffer and, with OSC 52,
// to the outer terminal's clipboard.
import type { WorkspacePane } from '../../panes/workspace.js';
import { copyModeKey, enterCopyMode, osc52 } from '../copyMode.js';
import type { WorkspaceView } from '../view.js';

export function startCopy(v: WorkspaceView, p: WorkspacePane, byWheel: boolean): void {
  v.mode = 'copy';
  v.copy = enterCopyMode(p.session.term);
  v.copyByWheel = byWheel;
}

export function copyKey(v: WorkspaceView, key: string): void {
  const f = v.ws.focused();
  if (!f) {
    v.mode = 'normal';
    return;
  }
  const r = copyModeKey(f.session.term, v.copy, key, f.rect.h);
  if (r.type === 'leave') v.mode = 'normal';
  else if (r.type === 'search') {
    v.mode = 'copy-search';
    v.input = '';
  } else if (r.type === 'not-found') v.say(`not found: ${r.search}`, 2000);
  else if (r.type === 'copy') {
    v.ws.pasteBuffer = r.text;
    // the outer terminal's clipboard (OSC 52: works over SSH where the terminal allows it)
    if (!v.opts.draw) {
      try {
        v.out.write(osc52(r.text));
      } catch {
        // the terminal is gone
      }
    }
    v.mode = 'normal';
    const lines = r.text.split('\n').length;
    v.say(`copied ${[...r.text].length} characters${lines > 1 ? ` (${lines} lines)` : ''}; ${v.prefixName} ] pastes`, 2500);
  }
}
