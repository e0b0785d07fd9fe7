// What a key does on the dashboard, given the store. No React.
import type { AppStore } from '../state/store.js';
import { commandForKey } from './keymap.js';

export interface DashboardContext {
  store: AppStore;
  quit(): void;
  /** Rows in the visible page, for page up/down. */
  pageSize(): number;
}

export function handleDashboardKey(ctx: DashboardContext, key: string, text: string): void {
  const s = ctx.store.getState();
  if (s.ui.filterEditing) {
    if (key === 'escape') s.endFilter(false);
    else if (key === 'enter') s.endFilter(true);
    else if (key === 'backspace') s.editFilter([...s.ui.filter].slice(0, -1).join(''));
    else if (key === 'ctrl+u') s.editFilter('');
    else if (key === 'ctrl+c') ctx.quit();
    else if (text) s.editFilter(s.ui.filter + text);
    return;
  }
  if (s.ui.help) {
    if (key === 'ctrl+c') ctx.quit();
    else if (key === '?' || key === 'escape' || key === 'q' || key === 'enter') s.toggleHelp(false);
    return;
  }
  if (s.ui.message) s.setMessage(null);
  switch (commandForKey(key)) {
    case 'down':
      return s.moveSelection(1);
    case 'up':
      return s.moveSelection(-1);
    case 'pageDown':
      return s.moveSelection(ctx.pageSize());
    case 'pageUp':
      return s.moveSelection(-ctx.pageSize());
    case 'top':
      return s.moveToEdge('first');
    case 'bottom':
      return s.moveToEdge('last');
    case 'nextPanel':
    case 'prevPanel':
      return s.focusPanel('next');
    case 'open':
      return s.openProject();
    case 'back':
      if (s.ui.filter) return s.endFilter(false);
      return s.focusPanel('projects');
    case 'filter':
      return s.startFilter();
    case 'help':
      return s.toggleHelp();
    case 'gpu':
      if (!s.gpu) return s.setMessage('no GPU tool found (nvidia-smi or rocm-smi)');
      return s.toggleGpuPanel();
    case 'quit':
      return ctx.quit();
    default:
      return;
  }
}
