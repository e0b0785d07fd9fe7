// The dashboard lives in the berth server, as the panes do: `berth` with no server running
// starts one and shows the dashboard; closing the terminal (the tmux server killed under it:
// SIGHUP, what a dropped SSH connection does) leaves the view in the server, and the next
// `berth` shows it again, selection and filter kept, sparklines already filled. A second
// terminal at the same time has its own view; SIGKILL of one client leaves the server and
// the other client working. The real program against the private engine.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { pidAlive } from '../../src/lib/process.js';
import { berthEnv, CLI, stopBerthServer, Tmux } from './tmux.js';

let te: TestEngine;
let home: string;
const terminals: Tmux[] = [];
const tag = `s${process.pid % 1000}`;

function terminal(cols: number, rows: number): Tmux {
  const t = new Tmux();
  terminals.push(t);
  t.startBerth(home, te.host, cols, rows);
  return t;
}

function serverPid(): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(home, 'run', 'berth', 'server.pid'), 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

/** The client process (node …/cli.js) under a terminal's shell. */
function clientPid(t: Tmux): number {
  return Number(execFileSync('pgrep', ['-P', String(t.panePid()), 'node'], { encoding: 'utf8' }).trim().split('\n')[0]);
}

/** The sparkline cells of a container's row (bars of ▁▂▃▄▅▆▇█). */
function bars(screen: string, name: string): number {
  const row = screen.split('\n').find((l) => l.includes(name)) ?? '';
  return (row.match(/[▁▂▃▄▅▆▇█]/g) ?? []).length;
}

beforeAll(async () => {
  te = await getTestEngine();
  const labels = (project: string) => Object.entries({ ...te.labels, 'com.docker.compose.project': project }).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  await te.dockerCli(['run', '-d', '--name', `${tag}-web-busy`, ...labels(`web${tag}`), te.image, 'sh', '-c', 'yes > /dev/null']);
  await te.dockerCli(['run', '-d', '--name', `${tag}-web-idle`, ...labels(`web${tag}`), te.image, 'sleep', '600']);
  await te.dockerCli(['run', '-d', '--name', `${tag}-db-main`, ...labels(`db${tag}`), te.image, 'sleep', '600']);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-home-'));
});

afterAll(() => {
  for (const t of terminals) t.kill();
  if (home) {
    stopBerthServer(home);
    fs.rmSync(home, { recursive: true, force: true });
  }
});

describe('the dashboard in the berth server', () => {
  it('survives its terminal: the next berth shows the same view with its sparklines; two clients have their own views', async () => {
    expect(serverPid()).toBeNull();
    const a = terminal(120, 30);
    await a.waitFor((s) => s.includes(`${tag}-web-busy`) && s.includes(`${tag}-db-main`), 'the dashboard');
    const pid = serverPid();
    expect(pid).not.toBeNull(); // berth started the server

    // a view of its own: the web project, a filter, the second row selected
    a.keys('j', 'j'); // projects: all, db…, web…
    await a.waitFor((s) => s.includes(` web${tag} (2) `), 'the web project selected');
    a.type('/');
    a.type('web-');
    a.keys('Enter');
    a.keys('Tab', 'j');
    await a.waitFor((s) => s.includes('/web-') && bars(s, `${tag}-web-busy`) >= 4, 'the filter and a few seconds of figures');

    // the terminal goes away (SIGHUP to the client): the server and the view stay
    a.hangUp();
    await new Promise((r) => setTimeout(r, 500));
    expect(serverPid()).toBe(pid);

    // another terminal size: the view is laid out for it
    const b = terminal(100, 28);
    // (a whole frame: its bottom border drawn too)
    const first = await b.waitFor((s) => s.includes(`${tag}-web-busy`) && s.split('\n')[25]?.startsWith('└') === true, 'the dashboard again');
    const rows = first.split('\n');
    for (const l of rows.slice(1, 25)) expect(l).toMatch(/^[│┌└].*[│┐┘]$/);
    expect(Math.max(...rows.map((l) => [...l].length))).toBeLessThanOrEqual(100);
    expect(rows[1]!.length).toBe(100);
    expect(first).toContain(` web${tag} /web- (2) `);
    expect(first).not.toContain(`${tag}-db-main`);
    // the history was kept in the server: the first frame with names has the sparkline
    expect(bars(first, `${tag}-web-busy`)).toBeGreaterThanOrEqual(4);
    // the selection came back too: enter opens the second row's detail
    b.keys('Enter');
    await b.waitFor((s) => s.includes(`${tag}-web-idle`) && /logs/.test(s) && !s.includes('NAME'), 'the detail of the selected container');
    b.keys('Escape');
    await b.waitFor((s) => s.includes('NAME'), 'the list again');

    // a second terminal at the same time: its own view (all projects, no filter)
    const c = terminal(100, 26);
    const other = await c.waitFor((s) => s.includes(`${tag}-db-main`) && s.includes(`${tag}-web-busy`), 'a second dashboard');
    expect(other).toContain('all projects');
    c.keys('j');
    await c.waitFor((s) => s.includes(` db${tag} (1) `), 'the second client selecting another project');
    expect(b.capture()).toContain(` web${tag} /web- (2) `);
    expect(serverPid()).toBe(pid);

    // SIGKILL of one client: the server and the other client go on
    process.kill(clientPid(c), 'SIGKILL');
    await c.waitFor((s) => s.includes('AFTER-BERTH'), 'the killed client gone');
    b.keys('Escape'); // the filter goes
    await b.waitFor((s) => s.includes(`${tag}-db-main`) || s.includes(` web${tag} (2) `), 'the first client still answering');
    b.keys('q');
    const after = await b.waitFor((s) => s.includes('AFTER-BERTH'), 'q to end the client');
    expect(after).toContain('AFTER-BERTH rc=0');
    // the server lingers ([server] linger) for the next start
    expect(serverPid()).toBe(pid);

    // with no session to lose, kill-server stops the lingering server at once (tmux's kill-server)
    const env = { ...process.env, ...berthEnv(te.host, home) };
    expect(execFileSync(process.execPath, [CLI, 'kill-server', '--dry-run'], { env, encoding: 'utf8' })).toBe('no berth sessions; dry run: the berth server was left running\n');
    expect(serverPid()).toBe(pid);
    expect(execFileSync(process.execPath, [CLI, 'kill-server', '-y'], { env, encoding: 'utf8' })).toBe('no berth sessions; the berth server stopped\n');
    for (let i = 0; i < 100 && pidAlive(pid!); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pidAlive(pid!)).toBe(false);
    expect(execFileSync(process.execPath, [CLI, 'kill-server', '-y'], { env, encoding: 'utf8' })).toBe('no berth server is running\n');
  });
});
