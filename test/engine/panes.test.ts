// PaneSession through `docker exec -it` into the fixture container: full-screen busybox
// programs show the same text in a berth pane as in a tmux pane of the same size.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { PaneSession } from '../../src/panes/session.js';
import { containerCommand } from '../../src/panes/plan.js';

let engine: TestEngine;
const NAME = `berth-panes-${process.pid}`;
const sessions: PaneSession[] = [];
let tmuxDir = '';

function dockerEnv(): Record<string, string> {
  return { DOCKER_HOST: engine.host, ...(process.env.DOCKER_CONFIG ? { DOCKER_CONFIG: process.env.DOCKER_CONFIG } : {}) };
}

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-S', path.join(tmuxDir, 's'), '-f', '/dev/null', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

async function until<T>(get: () => T, pred: (v: T) => boolean, what: string, ms = 15_000): Promise<T> {
  const t0 = Date.now();
  let v = get();
  while (!pred(v)) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; last:\n${String(v)}`);
    await new Promise((r) => setTimeout(r, 100));
    v = get();
  }
  return v;
}

/** Runs `command` in the container both in a berth pane and in a tmux pane of cols x rows. */
async function both(command: string, cols: number, rows: number, ready: (screen: string) => boolean) {
  const spec = containerCommand(NAME, command, dockerEnv());
  const pane = new PaneSession({ ...spec, cols, rows });
  sessions.push(pane);
  pane.start();
  const env = Object.entries(dockerEnv()).map(([k, v]) => `${k}=${v}`);
  const line = ['env', ...env, spec.file, ...spec.args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  tmux('new-session', '-d', '-s', 'f', '-x', String(cols), '-y', String(rows), line);
  tmux('set-option', '-g', 'status', 'off');
  const berth = await until(() => pane.text().join('\n'), ready, 'berth pane');
  const theirs = await until(() => tmux('capture-pane', '-p', '-t', 'f').replace(/\n$/, ''), ready, 'tmux pane');
  return { pane, berth, theirs };
}

beforeAll(async () => {
  engine = await getTestEngine();
  await engine.dockerCli(['run', '-d', '--name', NAME, '--label', 'berth.test=1', '--network', 'none', engine.image, 'sleep', '3600']);
  await engine.dockerCli(['exec', NAME, 'sh', '-c', 'i=1; while [ $i -le 60 ]; do echo "line $i: the quick brown fox jumps over the lazy dog $i times"; i=$((i+1)); done > /notes.txt']);
  tmuxDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-tmux-'));
});

afterAll(() => {
  for (const s of sessions) s.dispose();
  try {
    tmux('kill-server');
  } catch {
    // not started
  }
  fs.rmSync(tmuxDir, { recursive: true, force: true });
});

describe('panes in a container', () => {
  it('busybox vi shows the same screen as in tmux, and leaves the alternate screen on :q', async () => {
    const ready = (s: string) => s.includes('line 1:') && /notes\.txt/.test(s);
    const { pane, berth, theirs } = await both('busybox vi /notes.txt', 70, 20, ready);
    expect(pane.snapshot().alternate).toBe(true);
    expect(berth.split('\n').map((l) => l.trimEnd())).toEqual(theirs.split('\n').map((l) => l.trimEnd()));
    // scroll in both, compare again
    pane.write('40G');
    tmux('send-keys', '-t', 'f', '4', '0', 'G');
    const at40 = (s: string) => s.includes('line 40:') && !s.includes('line 1:');
    const b2 = await until(() => pane.text().join('\n'), at40, 'berth after 40G');
    const t2 = await until(() => tmux('capture-pane', '-p', '-t', 'f').replace(/\n$/, ''), at40, 'tmux after 40G');
    expect(b2.split('\n').map((l) => l.trimEnd())).toEqual(t2.split('\n').map((l) => l.trimEnd()));
    pane.write(':q!\r');
    await until(() => pane.exit, (e) => e !== null, 'vi exits');
    expect(pane.exit?.code).toBe(0);
    expect(pane.snapshot().alternate).toBe(false);
    tmux('kill-server');
  });

  it('busybox top lays out its table as in tmux', async () => {
    const ready = (s: string) => /PID\s+PPID\s+USER/.test(s);
    const { pane, berth, theirs } = await both('busybox top', 90, 16, ready);
    const header = (s: string) => {
      const lines = s.split('\n');
      const i = lines.findIndex((l) => /PID\s+PPID\s+USER/.test(l));
      return { row: i, text: lines[i]!.trimEnd(), rows: lines.length };
    };
    expect(header(berth)).toEqual(header(theirs));
    // the process list shows the container's processes in both
    for (const s of [berth, theirs]) expect(s).toMatch(/^\s*1\s+0\s+root\s+S\s.*sleep 3600/m);
    pane.write('q');
    await until(() => pane.exit, (e) => e !== null, 'top exits');
    tmux('kill-server');
  });

  it('a closed pane ends its processes in the container (docker exec leaves them running)', async () => {
    const spec = containerCommand(NAME, 'sleep 3000', dockerEnv());
    const pane = new PaneSession({ ...spec, cols: 40, rows: 5 });
    pane.start();
    const ps = async () => (await engine.dockerCli(['exec', NAME, 'ps'])).stdout;
    await until(() => 0, () => true, '');
    for (let i = 0; i < 50 && !(await ps()).includes('sleep 3000'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await ps()).toContain('sleep 3000');
    pane.dispose();
    let gone = false;
    for (let i = 0; i < 50 && !gone; i++) {
      await new Promise((r) => setTimeout(r, 100));
      gone = !(await ps()).includes('sleep 3000');
    }
    expect(gone).toBe(true);
  });
});
