// Keys while a project view (Doctor, compose menu, compose output, the down
// confirmation) is open. No React.
import type { ProjectOps } from '../dashboard/projectOps.js';
import type { AppStore } from '../dashboard/store.js';
import { currentKeymap, type ChainName } from './keymap.js';

export interface ProjectPanelContext {
  store: AppStore;
  quit(): void;
  pageSize(): number;
  projectOps?: ProjectOps;
}

/** The key chain of the open project view. */
export function projectPanelChain(store: AppStore): ChainName | null {
  const p = store.getState().projectPanel;
  if (!p) return null;
  return p.kind === 'menu' ? 'compose' : p.kind === 'confirmDown' ? 'confirm' : p.kind === 'presets' ? 'picker' : 'panel';
}

export function handleProjectPanelKey(ctx: ProjectPanelContext, key: string): void {
  const s = ctx.store.getState();
  const p = s.projectPanel;
  const po = ctx.projectOps;
  if (!p) return;
  if (key === 'ctrl+c') return ctx.quit();
  if (!po) return ctx.store.setState({ projectPanel: null });
  const chain = projectPanelChain(ctx.store)!;
  const cmd = currentKeymap().lookup(chain, key);
  if (!cmd) return;
  if (s.ui.message && p.kind !== 'confirmDown') s.setMessage(null);
  if (cmd === 'help') return s.toggleHelp();
  // q closes the panel (k9s habit); ctrl+c, above, always quits
  if (cmd === 'quit') return p.kind === 'confirmDown' ? po.confirm('no') : po.close();
  if (p.kind === 'confirmDown') {
    if (cmd === 'confirmYes') return po.confirm('yes');
    if (cmd === 'confirmDry') return po.confirm('dry');
    if (cmd === 'confirmVolumes') return po.confirm('volumes');
    if (cmd === 'confirmNo') return po.confirm('no');
    return;
  }
  if (cmd === 'back') return po.close();
  if (p.kind === 'presets') {
    if (cmd === 'pick') return po.pickPreset();
    if (cmd === 'down' || cmd === 'up') return po.movePreset(cmd === 'down' ? 1 : -1);
    if (cmd === 'top' || cmd === 'bottom') return po.movePreset(cmd === 'top' ? -1e9 : 1e9);
    return;
  }
  if (p.kind === 'menu') {
    switch (cmd) {
      case 'composeUp':
      case 'composeDown':
      case 'composeBuild':
      case 'composePull':
      case 'composeRestart':
      case 'composeLogs':
        return po.compose(cmd);
    }
    return;
  }
  const page = ctx.pageSize();
  switch (cmd) {
    case 'down':
      return po.scroll(1, page);
    case 'up':
      return po.scroll(-1, page);
    case 'pageDown':
      return po.scroll(page, page);
    case 'pageUp':
      return po.scroll(-page, page);
    case 'top':
      return po.scroll(-1e9, page);
    case 'bottom':
      return po.scroll(Infinity, page);
  }
}
