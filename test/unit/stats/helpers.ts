import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function fixtureJson<T = unknown>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

/** Copies a fixture tree (laid out like / with proc/ and sys/fs/cgroup/) into a temp folder. */
export function copyTree(name: string): { root: string; procRoot: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), `berth-stats-${name}-`));
  cpSync(join(FIXTURES, name), root, { recursive: true });
  return { root, procRoot: join(root, 'proc'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

// Containers recorded on a cgroup v1 host (cgroupfs driver).
export const V1_FILE = {
  // wrote a 32 MiB regular file (page cache, inactive_file), --memory 256m
  id: '5bf7c6271594325843f65dffc7a370bc0b68a1eb4bceb8b7655f0fc02c225fad',
  pid: 9179,
};
export const V1_BURN = {
  // sh -c 'yes > /dev/null', no memory limit
  id: '577526fe1c806511e0f5d83dbc73c43d4b01d89f36e6f4d8dc453c235785f419',
  pid: 9240,
};
// Written in the kernel's cgroup v2 formats.
export const V2_SYSTEMD = { id: '3f4c2a9d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f', pid: 4321 };
export const V2_CGROUPFS = { id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90', pid: 5678 };

/** Host memory of the recorded /proc/meminfo (MemTotal 24682416 kB). */
export const HOST_MEM = 24682416 * 1024;
