// `berth proxy add` on a commented compose file: the diff shows only the edit, every line the
// user wrote stays (comments, spacing, order), the result passes `docker-compose config` and
// the doctor's Traefik rules, a second run changes nothing; it asks first, has a dry run, and
// refuses bad input with one line.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { proxyAddCommand, type ProxyAddCommand } from '../../../src/ops/proxy/command.js';
import { keepUntouched, planProxyAdd } from '../../../src/ops/proxy/add.js';

const fixture = path.resolve(import.meta.dirname, '../../fixtures/proxy/commented.compose.yaml');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-proxy-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function project(text = fs.readFileSync(fixture, 'utf8')): string {
  // the folder's name is the project's (no top-level name:), so routers are shop-<service>
  const dir = path.join(fs.mkdtempSync(path.join(tmp, 'p-')), 'shop');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'compose.yaml'), text);
  return dir;
}

async function run(dir: string, o: Partial<ProxyAddCommand> = {}): Promise<{ code: number; text: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  const code = await proxyAddCommand({ project: `${dir}/`, service: 'app', host: 'shop.example.com', port: '8080', tls: true, out, ...o });
  return { code, text };
}

/** Whether every line of `a` appears in `b`, in order (nothing the user wrote was dropped or changed). */
function keepsAll(a: string, b: string): boolean {
  const bl = b.split('\n');
  let j = 0;
  for (const line of a.split('\n')) {
    while (j < bl.length && bl[j] !== line) j++;
    if (j++ >= bl.length) return false;
  }
  return true;
}

describe('berth proxy add', () => {
  it('adds the labels and the network, keeps every line the user wrote, and passes docker-compose config and the doctor', async () => {
    const dir = project();
    const before = fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8');
    const r = await run(dir, { yes: true });
    expect(r.code).toBe(0);
    const after = fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8');
    expect(keepsAll(before, after)).toBe(true);
    expect(after).toContain('      LOG_LEVEL: info   # quiet\n    networks: [default, edge]\n    labels:\n      - traefik.enable=true\n');
    expect(after).toContain('- traefik.http.routers.shop-app.tls.certresolver=le');
    expect(after).toContain('- traefik.docker.network=edge');
    // the diff it showed holds only added lines
    expect(r.text.split('\n').filter((l) => /^[-+](?![-+])/.test(l)).every((l) => l.startsWith('+'))).toBe(true);
    expect(r.text).toContain('berth doctor: the Traefik checks pass');
    execFileSync('docker-compose', ['-f', path.join(dir, 'compose.yaml'), 'config', '-q'], { cwd: dir, stdio: 'pipe' });
    // again: nothing to change
    const again = await run(dir, { yes: true });
    expect(again.text).toContain('app is already routed that way; nothing to change');
    expect(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8')).toBe(after);
  });

  it('shows the diff and writes nothing on --dry-run, or without a terminal and --yes', async () => {
    const dir = project();
    const before = fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8');
    const dry = await run(dir, { dryRun: true });
    expect(dry.text).toMatch(/^\+      - traefik\.enable=true$/m);
    expect(dry.text).toContain('dry run: nothing was written');
    await expect(run(dir)).rejects.toThrow('not on a terminal: pass --yes to write the change, or --dry-run to see it');
    const no = await run(dir, { confirm: async () => false });
    expect(no.code).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'compose.yaml'), 'utf8')).toBe(before);
  });

  it('keeps a map of labels a map, and refuses bad input in one line', async () => {
    const mapForm = 'services:\n  app:\n    image: nginx:1.27.2\n    labels:\n      com.example.team: web\n';
    const plan = planProxyAdd(mapForm, 'compose.yaml', { project: 'shop', service: 'app', host: 'a.example.com', port: 80, tls: false }, []);
    expect(plan.after).toContain('      com.example.team: web\n      traefik.enable: "true"\n');
    expect(plan.after).toContain('traefik.http.services.shop-app.loadbalancer.server.port: "80"');
    expect(plan.notes[0]).toMatch(/^no Traefik container found/);
    const plan1 = (o: object) => () => planProxyAdd(mapForm, 'compose.yaml', { project: 'shop', service: 'app', host: 'a.example.com', port: 80, tls: false, ...o }, []);
    expect(plan1({ service: 'web' })).toThrow('no service web in compose.yaml (services: app)');
    expect(plan1({ host: 'not a host' })).toThrow('--host not a host: not a host name (e.g. app.example.com)');
    expect(plan1({ port: 70000 })).toThrow('--port 70000: give the port the app listens on inside the container (1-65535)');
    expect(plan1({ tls: true })).toThrow("--tls needs a cert resolver: Traefik's command defines none berth can see; pass --resolver NAME");
    const hostNet = planProxyAdd.bind(null, 'services:\n  app:\n    image: x:1\n    network_mode: host\n', 'compose.yaml', { project: 'shop', service: 'app', host: 'a.example.com', port: 80, tls: false }, []);
    expect(hostNet).toThrow('app uses network_mode: host; Traefik reaches it only on a network, so remove network_mode first');
  });

  it('puts back lines the yaml writer only re-spaced', () => {
    expect(keepUntouched('a:   # x\nb: [c]\n', 'a: # x\nb: [ c ]\nd: 1\n')).toBe('a:   # x\nb: [c]\nd: 1\n');
  });
});
