// The folder import rules of the architecture (README "Architecture"), checked on every
// import of src/: backend folders never reach up into the views, the dashboard, the
// workspace or the server, nor into React or Ink; ui/ never talks to Docker, runs
// operations or starts processes; pure helpers import nothing of berth's; and the thin client's whole runtime
// import graph holds no Ink, React, dockerode, xterm or node-pty. The checker itself is
// shown to fail on a planted violation, so a rule that stopped matching would be noticed.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SRC = path.join(ROOT, 'src');

interface Import {
  from: string; // file, relative to src/
  spec: string; // as written
  target: string | null; // file relative to src/ for relative imports, else null
  typeOnly: boolean;
  /** import('…'): loaded when the code runs there, not with the module. */
  dynamic: boolean;
}

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:[^'"`;]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolve(fromFile: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const abs = path.resolve(path.dirname(path.join(SRC, fromFile)), spec);
  const stem = abs.replace(/\.js$/, '');
  for (const ext of ['.ts', '.tsx']) if (fs.existsSync(stem + ext)) return path.relative(SRC, stem + ext);
  return path.relative(SRC, abs);
}

/** Every import of the given sources (file -> text). */
export function importsOf(sources: Record<string, string>): Import[] {
  const out: Import[] = [];
  for (const [file, text] of Object.entries(sources)) {
    for (const m of text.matchAll(IMPORT)) out.push({ from: file, spec: m[3]!, target: resolve(file, m[3]!), typeOnly: Boolean(m[2]), dynamic: false });
    for (const m of text.matchAll(DYNAMIC)) out.push({ from: file, spec: m[1]!, target: resolve(file, m[1]!), typeOnly: false, dynamic: true });
  }
  return out;
}

const folderOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : file.replace(/\.tsx?$/, ''));

/** Backend: talks to engines, ptys and files; returns data. */
const BACKEND = ['engine', 'panes', 'project', 'ops', 'config', 'lib', 'term', 'logging'];
/** What the backend must never reach: the layers above it. */
const ABOVE_BACKEND = ['ui', 'dashboard', 'workspace', 'sessions', 'server', 'input', 'commands', 'cli'];
const VIEW_LIBS = ['react', 'ink', 'react/jsx-runtime'];
/** What ui/ (views) never reaches for: the engine and child processes. */
const UI_NEVER = ['dockerode', 'execa', 'node:child_process'];
const HEAVY = ['react', 'ink', 'dockerode', '@xterm/headless', '@xterm/addon-serialize', 'node-pty', 'react/jsx-runtime'];

/** Violations of the folder rules, one line each. */
export function violations(imports: Import[]): string[] {
  const out: string[] = [];
  for (const i of imports) {
    const from = folderOf(i.from);
    const to = i.target ? folderOf(i.target) : null;
    const what = `${i.from} imports ${i.spec}`;
    if (BACKEND.includes(from)) {
      if (to && ABOVE_BACKEND.includes(to)) out.push(`${what}: backend code (${from}/) never imports ${to}/`);
      if (!to && VIEW_LIBS.includes(i.spec)) out.push(`${what}: backend code (${from}/) never imports React or Ink`);
    }
    if (from === 'lib' && to && to !== 'lib') out.push(`${what}: pure helpers (lib/) import nothing of berth's but lib/`);
    if (from === 'ui' && (to === 'ops' || UI_NEVER.includes(i.spec))) out.push(`${what}: ui/ never imports ${to === 'ops' ? 'ops/' : i.spec}`);
  }
  return out;
}

/**
 * The runtime import closure of `entry` (type-only imports are erased at build and not
 * followed); with `staticOnly`, what loads with the entry itself, before any import().
 */
export function closure(imports: Import[], entry: string, staticOnly = false): { files: Set<string>; packages: Map<string, string> } {
  const byFile = new Map<string, Import[]>();
  for (const i of imports) byFile.set(i.from, [...(byFile.get(i.from) ?? []), i]);
  const files = new Set<string>([entry]);
  const packages = new Map<string, string>();
  const queue = [entry];
  while (queue.length) {
    const f = queue.pop()!;
    for (const i of byFile.get(f) ?? []) {
      if (i.typeOnly || (staticOnly && i.dynamic)) continue;
      if (i.target) {
        if (!files.has(i.target)) {
          files.add(i.target);
          queue.push(i.target);
        }
      } else if (!i.spec.startsWith('node:')) packages.set(i.spec, f);
    }
  }
  return { files, packages };
}

function readSources(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.tsx?$/.test(e.name)) out[path.relative(SRC, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(SRC);
  return out;
}

describe('folder import rules', () => {
  const sources = readSources();
  const imports = importsOf(sources);

  it('reads the imports of every source file', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
    expect(imports.length).toBeGreaterThan(500);
  });

  it('hold for every import of src/', () => {
    expect(violations(imports)).toEqual([]);
  });

  it('the session client pulls in no Ink, React, dockerode, xterm or node-pty', () => {
    const { packages } = closure(imports, 'sessions/client.ts');
    const heavy = [...packages].filter(([p]) => HEAVY.includes(p)).map(([p, via]) => `${p} (via ${via})`);
    expect(heavy).toEqual([]);
  });

  it('berth alone (cli.ts up to its first import()) loads only the thin client: no command parser, nothing heavy', () => {
    const { packages, files } = closure(imports, 'cli.ts', true);
    expect([...packages.keys()]).toEqual([]);
    expect([...files].filter((f) => !/^(cli\.ts|client\/|sessions\/(client|protocol|socketDir)\.ts|config\/(paths|errors)\.ts|lib\/|input\/paneKeys\.ts)/.test(f))).toEqual([]);
  });

  it("the server draws a dashboard's first frame without the pane, YAML, process or command-line libraries", () => {
    const { packages } = closure(imports, 'sessions/run.ts', true);
    const late = ['@xterm/headless', '@xterm/addon-serialize', 'node-pty', 'yaml', 'execa', 'commander'];
    expect([...packages].filter(([p]) => late.includes(p)).map(([p, via]) => `${p} (via ${via})`)).toEqual([]);
    // and they are there once something asks for them
    const all = closure(imports, 'sessions/run.ts');
    for (const p of ['@xterm/headless', 'node-pty', 'yaml', 'execa']) expect(all.packages.has(p)).toBe(true);
  });

  it('fail on a planted violation (so the checker can fail)', () => {
    const planted = {
      ...sources,
      'engine/planted.ts': "import { bytes } from '../ui/dashboard/Header.js';\nimport React from 'react';\n",
      'ui/planted.tsx': "import type Dockerode from 'dockerode';\nimport { runBackup } from '../ops/backup/backup.js';\nimport { execa } from 'execa';\n",
      'lib/planted.ts': "import { log } from '../logging.js';\n",
      'sessions/client.ts': `${sources['sessions/client.ts']}\nimport { render } from 'ink';\n`,
    };
    const planImports = importsOf(planted);
    expect(violations(planImports)).toEqual([
      "engine/planted.ts imports ../ui/dashboard/Header.js: backend code (engine/) never imports ui/",
      'engine/planted.ts imports react: backend code (engine/) never imports React or Ink',
      'ui/planted.tsx imports dockerode: ui/ never imports dockerode',
      'ui/planted.tsx imports ../ops/backup/backup.js: ui/ never imports ops/',
      'ui/planted.tsx imports execa: ui/ never imports execa',
      "lib/planted.ts imports ../logging.js: pure helpers (lib/) import nothing of berth's but lib/",
    ]);
    expect([...closure(planImports, 'sessions/client.ts').packages.keys()]).toContain('ink');
    // a static import of the pane layer in the server would put the pty library in its first frame
    const eager = importsOf({ ...sources, 'sessions/run.ts': `${sources['sessions/run.ts']}\nimport '../panes/session.js';\n` });
    expect(closure(eager, 'sessions/run.ts', true).packages.has('node-pty')).toBe(true);
  });
});
