// The real berth in tmux against the private engine: on a running container of a registered
// compose project (a commented compose file with a Traefik service), `:proxy HOST tls` shows
// the compose edit as a diff and writes nothing until asked; n cancels, y writes it, keeping
// every line the user wrote, and the result passes docker-compose config.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { ROOT, Tmux } from './tmux.js';

let te: TestEngine;
let tmux: Tmux;
let home: string;
let dir: string;
const name = `berthproxy${process.pid}`;

beforeAll(async () => {
  te = await getTestEngine();
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-proxy-'));
  dir = path.join(home, name);
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'proxy', 'commented.compose.yaml'), path.join(dir, 'compose.yaml'));
  fs.mkdirSync(path.join(home, 'config', 'berth'), { recursive: true });
  fs.writeFileSync(path.join(home, 'config', 'berth', 'config.toml'), `[[projects]]\nname = "${name}"\npath = ${JSON.stringify(dir)}\n`);
  // the service's container as compose would label it
  const labels = { ...te.labels, 'com.docker.compose.project': name, 'com.docker.compose.service': 'app', 'com.docker.compose.project.working_dir': dir };
  await te.dockerCli(['run', '-d', '--name', `${name}-app-1`, '--network', 'none', ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), te.image, 'sleep', '600']);
  tmux = new Tmux();
});

afterAll(() => {
  tmux?.kill();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe(':proxy from the dashboard', () => {
  it('shows the diff, cancels with n, writes with y', async () => {
    const file = path.join(dir, 'compose.yaml');
    const before = fs.readFileSync(file, 'utf8');
    tmux.startBerth(home, te.host, 120, 36);
    await tmux.waitFor((s) => s.includes(`${name}-app-1`) && s.includes('NAME'), 'the dashboard with the container', 40_000);
    tmux.type('j'); // the project
    tmux.keys('Tab'); // its containers
    await tmux.waitFor((s) => new RegExp(`${name} \\(1\\) ▸ ${name}-app-1`).test(s), 'the container selected');
    const ask = async () => {
      tmux.type(':');
      await tmux.waitFor((s) => /^ ?:/m.test(s.split('\n').at(-2) ?? '') || s.split('\n').some((l) => l.startsWith(':')), 'the command line');
      tmux.type('proxy shop.example.com tls');
      tmux.keys('Enter');
      return tmux.waitFor((s) => s.includes(`route app of ${name} through Traefik as https://shop.example.com?`) && s.includes('traefik.enable=true'), 'the proxy confirmation', 20_000);
    };
    let screen = await ask();
    // the port is the service's only one; the entrypoint and resolver are the ones its Traefik defines
    expect(screen).toContain(`traefik.http.services.${name}-app.loadbalancer.server.port=8080`);
    expect(screen).toContain(`traefik.http.routers.${name}-app.entrypoints=websecure`);
    expect(screen).toContain(`traefik.http.routers.${name}-app.tls.certresolver=le`);
    expect(screen).toMatch(/\+ {4}networks: \[default, edge\]/);
    tmux.type('n');
    await tmux.waitFor((s) => s.includes(`${name}: proxy for app cancelled; nothing was written`), 'the cancel');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);

    screen = await ask();
    tmux.type('y');
    screen = await tmux.waitFor((s) => s.includes(`${name}: wrote compose.yaml: app answers at https://shop.example.com`), 'the write', 20_000);
    const after = fs.readFileSync(file, 'utf8');
    for (const line of before.split('\n')) expect(after.split('\n')).toContain(line);
    expect(after).toContain(`      - traefik.http.routers.${name}-app.rule=Host(\`shop.example.com\`)`);
    execFileSync('docker-compose', ['-f', file, 'config', '-q'], { cwd: dir, stdio: 'pipe' });

    tmux.type('q');
    screen = await tmux.waitFor((s) => s.includes('AFTER-BERTH'), 'berth to quit');
    expect(screen).toContain('AFTER-BERTH rc=0');
  });
});
