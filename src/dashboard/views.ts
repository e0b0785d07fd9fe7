// The dashboard's open views as one stack, top first: the top one gets the keys and says
// what the footer shows. The order is written here once; key handling, the footer and
// help all read it.
import type { AppState } from './store.js';

export type OpenView = 'filter' | 'prompt' | 'help' | 'confirm' | 'maint' | 'panel' | 'detail' | 'list';

export function viewStack(s: Pick<AppState, 'ui' | 'projectPanel'>): OpenView[] {
  const out: OpenView[] = [];
  if (s.ui.filterEditing) out.push('filter');
  if (s.ui.prompt) out.push('prompt');
  if (s.ui.help) out.push('help');
  if (s.ui.confirm) out.push('confirm');
  if (s.ui.maint) out.push('maint');
  if (s.projectPanel) out.push('panel');
  if (s.ui.view === 'detail') out.push('detail');
  out.push('list');
  return out;
}

/** The view that gets the next key. */
export function topView(s: Pick<AppState, 'ui' | 'projectPanel'>): OpenView {
  return viewStack(s)[0]!;
}
