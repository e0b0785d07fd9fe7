// Keys while a backup dialog, the disk-usage view or the prune preview is open. No React.
import type { Maintenance } from '../dashboard/maintenance.js';
import type { AppStore } from '../dashboard/store.js';
import { currentKeymap } from './keymap.js';

export interface MaintKeyContext {
  store: AppStore;
  quit(): void;
  pageSize(): number;
  maint?: Maintenance;
}

/** Handles a key while `ui.maint` is set. */
export function handleMaintKey(ctx: MaintKeyContext, key: string): void {
  const s = ctx.store.getState();
  const p = s.ui.maint;
  if (!p) return;
  if (key === 'ctrl+c') return ctx.quit();
  const m = ctx.maint;
  const close = () => (m ? m.close() : s.patchUi({ maint: null }));
  if (p.kind === 'backup') {
    const cmd = currentKeymap().lookup('confirm', key);
    if (!m) return cmd === 'confirmNo' ? close() : undefined;
    if (cmd === 'confirmYes') return m.backupChoice('yes');
    if (cmd === 'confirmDry') return m.backupChoice('dry');
    if (cmd === 'confirmStopLive') return m.backupChoice('stop');
    if (cmd === 'confirmDump') return m.backupChoice('dump');
    if (cmd === 'confirmNo') return m.backupChoice('no');
    return;
  }
  if (p.kind === 'prune') {
    const cmd = currentKeymap().lookup('confirm', key);
    if (cmd === 'confirmYes') return m?.pruneChoice('yes');
    if (cmd === 'confirmVolumes') return m?.pruneChoice('volumes');
    if (cmd === 'confirmNo') return m ? m.pruneChoice('no') : close();
    return scrollKey(ctx, currentKeymap().lookup('list', key));
  }
  // disk usage view
  const cmd = currentKeymap().lookup('list', key);
  if (cmd === 'back' || cmd === 'diskUsage') return close();
  // q closes the view (k9s habit); ctrl+c, above, always quits
  if (cmd === 'quit') return close();
  if (cmd === 'prune') return m?.openPrune(false);
  return scrollKey(ctx, cmd);
}

function scrollKey(ctx: MaintKeyContext, cmd: string | undefined): void {
  const s = ctx.store.getState();
  const p = s.ui.maint;
  if (!p || p.kind === 'backup') return;
  const page = ctx.pageSize();
  const d = cmd === 'down' ? 1 : cmd === 'up' ? -1 : cmd === 'pageDown' ? page : cmd === 'pageUp' ? -page : cmd === 'top' ? -1e6 : cmd === 'bottom' ? 1e6 : 0;
  if (d) s.patchUi({ maint: { ...p, scroll: Math.max(0, p.scroll + d) } });
}
