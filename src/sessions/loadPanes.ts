// The pane layer (src/sessions/paneLayer.ts), imported on first use and then kept.
export type PaneLayer = typeof import('./paneLayer.js');

let loading: Promise<PaneLayer> | null = null;
let loaded: PaneLayer | null = null;

export function loadPaneLayer(): Promise<PaneLayer> {
  return (loading ??= import('./paneLayer.js').then((m) => (loaded = m)));
}

/** The pane layer when it has been loaded already (a session exists), else null. */
export function paneLayerLoaded(): PaneLayer | null {
  return loaded;
}
