// Connects the backend (engine watcher, stats sampler, GPU sampler) to the store.
// Plain functions: no React.
import type { EngineWatcher } from '../engine/watcher.js';
import type { AppStore, ContainerStats } from './store.js';

export function feedEngine(watcher: EngineWatcher, store: AppStore): () => void {
  const onChange = () => store.getState().setContainers(watcher.containers.values());
  const onStatus = () => store.getState().setEngine(watcher.status);
  watcher.on('change', onChange);
  watcher.on('status', onStatus);
  onStatus();
  onChange();
  return () => {
    watcher.off('change', onChange);
    watcher.off('status', onStatus);
  };
}

export type { ContainerStats };
