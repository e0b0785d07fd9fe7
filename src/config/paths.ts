// XDG locations berth uses. Every function reads the environment when called, so tests
// can point them at temporary folders.
import os from 'node:os';
import path from 'node:path';

function xdg(name: string, fallback: string): string {
  const v = process.env[name];
  return v && path.isAbsolute(v) ? v : path.join(os.homedir(), fallback);
}

/** $XDG_CONFIG_HOME (default ~/.config): berth's folder is in it, and so are other programs'. */
export function xdgConfigHome(): string {
  return xdg('XDG_CONFIG_HOME', '.config');
}

export function configDir(): string {
  return path.join(xdgConfigHome(), 'berth');
}

export function userConfigPath(): string {
  return process.env.BERTH_CONFIG ?? path.join(configDir(), 'config.toml');
}

export function stateDir(): string {
  return path.join(xdg('XDG_STATE_HOME', '.local/state'), 'berth');
}

export function dataDir(): string {
  return path.join(xdg('XDG_DATA_HOME', '.local/share'), 'berth');
}

export function runtimeDir(): string {
  const base = process.env.XDG_RUNTIME_DIR;
  return base && path.isAbsolute(base)
    ? path.join(base, 'berth')
    : path.join(os.tmpdir(), `berth-${process.getuid?.() ?? 'user'}`);
}

/** $XDG_CACHE_HOME/berth (default ~/.cache/berth): what can be made again, e.g. image scan results. */
export function cacheDir(): string {
  return path.join(xdg('XDG_CACHE_HOME', '.cache'), 'berth');
}
