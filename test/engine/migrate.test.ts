// berth migrate between two real engines: the private test dockerd and a second private
// dockerd started here (its own socket, data root, exec root). A project with two volumes
// (one of 200 MB, one with symlinks, hard links, odd modes and owners) and an image the
// second engine lacks moves over: identical file listings and checksums on both sides, the
// image travels, nothing on the source changes; the dry run moves nothing; an existing
// volume on the target is never written into.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as d from '../harness/daemon.js';
import { getTestEngine, type DockerCliResult, type TestEngine } from '../harness/engine.js';
import { fingerprint } from '../harness/volumes.js';
import { migrateCommand } from '../../src/ops/migrate/command.js';

let te: TestEngine;
let other: Awaited<ReturnType<typeof d.createTestDir>> | null = null;
let otherTe: TestEngine;
const project = `mig${process.pid}`;
const image = `berth-test/migrate-app-${process.pid}:1`;
const BIG = `${project}_big`;
const ODD = `${project}_odd`;

/** A TestEngine-like view of the second engine (for the fingerprint helper). */
function engineView(host: string, img: string): TestEngine {
  return {
    ...te,
    host,
    image: img,
    async dockerCli(args: string[], opts: { input?: string; reject?: boolean } = {}): Promise<DockerCliResult> {
      const r = await execa('docker', args, { env: { ...process.env, DOCKER_HOST: host }, input: opts.input, reject: false });
      if (opts.reject !== false && r.exitCode !== 0) throw new Error(`docker ${args.join(' ')} failed (exit ${r.exitCode}): ${r.stderr}`);
      return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode ?? 1 };
    },
  };
}

async function run(o: Partial<Parameters<typeof migrateCommand>[0]>): Promise<{ code: number; text: string }> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (c) => (text += c));
  const code = await migrateCommand({ target: project, from: te.host, to: other!.host, out, labels: te.labels, ...o });
  return { code, text };
}

let tlsPort = 0;
let tlsDir = '';

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function makeCertificates(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const ssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=berth test CA']);
  ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  ssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'server-cert.pem', '-days', '2', '-extfile', 'server.ext']);
  ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'client.csr', '-subj', '/CN=berth test client']);
  fs.writeFileSync(path.join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  ssl(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'cert.pem', '-days', '2', '-extfile', 'client.ext']);
  // a CA the engine does not know, for the refusal
  ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other-ca-key.pem', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=someone else']);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  te = await getTestEngine();
  other = await d.createTestDir({ ownerPid: process.pid });
  // the second engine answers on its unix socket and on a loopback TCP port with TLS
  tlsDir = path.join(other.dir, 'tls');
  makeCertificates(tlsDir);
  tlsPort = await freePort();
  other.argv.push('--host', `tcp://127.0.0.1:${tlsPort}`, '--tlsverify', '--tlscacert', path.join(tlsDir, 'ca.pem'), '--tlscert', path.join(tlsDir, 'server-cert.pem'), '--tlskey', path.join(tlsDir, 'server-key.pem'));
  await d.launchDaemon(other);
  otherTe = engineView(other.host, image);
  const labelArgs = Object.entries(te.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);
  // the project's own image: not on the second engine
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-migrate-img-'));
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM ${te.image}\nLABEL berth.test.migrate=${process.pid}\n`);
  await te.dockerCli(['build', '-q', '--label', 'berth.test=1', '-t', image, ctx]);
  fs.rmSync(ctx, { recursive: true, force: true });
  for (const v of [BIG, ODD]) await te.docker.createVolume({ Name: v, Labels: { ...te.labels, 'com.docker.compose.project': project, 'com.docker.compose.volume': v.slice(project.length + 1) } });
  await te.dockerCli(['run', '--rm', ...labelArgs, '--network', 'none', '-v', `${BIG}:/d`, te.image, 'sh', '-c',
    'cd /d && { dd if=/dev/urandom bs=1M count=16; dd if=/dev/zero bs=1M count=168; dd if=/dev/urandom bs=1M count=16; } > big 2>/dev/null && echo small > small']);
  await te.dockerCli(['run', '--rm', ...labelArgs, '--network', 'none', '-v', `${ODD}:/d`, te.image, 'sh', '-c',
    'set -e; cd /d; mkdir -p a/b "with space" sticky; echo hello > a/b/f; ln -s b/f a/rel; ln -s /etc/passwd abs; ln -s nowhere dangling; ln a/b/f hard; ' +
      'echo x > "with space/ünï"; chmod 4755 a/b/f; chmod 000 "with space/ünï"; chmod 1777 sticky; chmod 2750 a; chown 1000:1000 a/b; chown 12345:54321 hard; mkfifo pipe; chown 33:33 /d; chmod 0750 /d']);
  await te.dockerCli(['run', '-d', '--name', `${project}-app-1`, ...labelArgs, '--label', `com.docker.compose.project=${project}`, '--label', 'com.docker.compose.service=app', '--network', 'none', '-v', `${BIG}:/data`, '-v', `${ODD}:/odd`, image, 'sleep', '600']);
}, 180_000);

afterAll(async () => {
  if (other) {
    await d.removeTestDir(other).catch(() => []);
  }
  await te?.dockerCli(['rm', '-f', `${project}-app-1`], { reject: false });
  await te?.dockerCli(['rmi', '-f', image], { reject: false });
}, 120_000);

describe('berth migrate', () => {
  it('--dry-run lists the volumes and the missing image, and moves nothing', async () => {
    const r = await run({ dryRun: true });
    expect(r.code).toBe(0);
    expect(r.text).toContain(`migrate project ${project} from ${te.host}`);
    expect(r.text).toContain(`image ${image}: carried (docker save → docker load`);
    expect(r.text).toContain(`volume ${BIG}: streamed into a new volume of that name, checked file by file (used by ${project}-app-1)`);
    expect(r.text).toContain(`volume ${ODD}:`);
    expect(r.text).toContain('dry run: nothing was moved, stopped or created');
    const vols = await otherTe.dockerCli(['volume', 'ls', '-q']);
    expect(vols.stdout.trim()).toBe('');
    expect((await otherTe.dockerCli(['image', 'inspect', image], { reject: false })).exitCode).not.toBe(0);
  });

  it('moves both volumes and the image: identical listings and checksums on both engines; the source is unchanged', async () => {
    const before = { big: await fingerprint(te, BIG), odd: await fingerprint(te, ODD) };
    const r = await run({ yes: true });
    expect(r.code, r.text).toBe(0);
    expect(r.text).toContain(`carrying image ${image}`);
    expect(r.text).toMatch(new RegExp(`${BIG}: 2 files, 200M, \\d+ entries, identical on `));
    expect(r.text).toContain('the source is unchanged');
    // the image is there now, and the volumes hold the same tree, byte for byte
    expect((await otherTe.dockerCli(['image', 'inspect', image])).exitCode).toBe(0);
    expect(await fingerprint(otherTe, BIG)).toEqual(before.big);
    const odd = await fingerprint(otherTe, ODD);
    expect(odd).toEqual(before.odd);
    expect(odd.some((l) => l.startsWith('./hard|') && l.includes('|12345|54321|'))).toBe(true);
    expect(odd.some((l) => l.startsWith('./a/rel|') && l.includes('symbolic link') && l.includes('b/f'))).toBe(true);
    // the source: volumes and container as they were
    expect(await fingerprint(te, BIG)).toEqual(before.big);
    expect((await te.docker.getContainer(`${project}-app-1`).inspect()).State.Running).toBe(true);
    // no helper left on either side
    for (const e of [te, otherTe]) expect((await e.dockerCli(['ps', '-aq', '--filter', 'label=berth.helper'])).stdout.trim()).toBe('');
  }, 180_000);

  it('never writes into a volume that exists on the target', async () => {
    await expect(run({ yes: true })).rejects.toThrow(`volume ${BIG} already exists on the target: berth migrate never writes into an existing volume (remove it there, or move it aside, first)`);
  });

  it('finds the source among the [[hosts]] when --from is left out; a read_only target is refused', async () => {
    const cfgDir = path.join(process.env.XDG_CONFIG_HOME!, 'berth');
    fs.mkdirSync(cfgDir, { recursive: true });
    const cfg = path.join(cfgDir, 'config.toml');
    fs.writeFileSync(cfg, `[[hosts]]\nname = "here"\naddress = "${te.host}"\n\n[[hosts]]\nname = "there"\naddress = "${other!.host}"\n\n[[hosts]]\nname = "frozen"\naddress = "${other!.host}"\nread_only = true\n`);
    try {
      const solo = `${project}_solo`;
      await te.docker.createVolume({ Name: solo, Labels: te.labels });
      const r = await run({ from: undefined, to: 'there', target: `volume:${solo}`, dryRun: true });
      expect(r.text).toContain(`migrate volume ${solo} from here (${te.host}) to there (${other!.host}):`);
      await expect(run({ to: 'frozen', yes: true })).rejects.toThrow('host frozen is read_only in the config: berth writes nothing there');
    } finally {
      fs.rmSync(cfg, { force: true });
    }
  });

  it('moves a volume to an engine reached over TCP with TLS ([[hosts]] with its certificates); a wrong CA is one line', async () => {
    const cfgDir = path.join(process.env.XDG_CONFIG_HOME!, 'berth');
    fs.mkdirSync(cfgDir, { recursive: true });
    const cfg = path.join(cfgDir, 'config.toml');
    const host = (name: string, ca: string) => `[[hosts]]\nname = "${name}"\naddress = "tcp://127.0.0.1:${tlsPort}"\ntls_ca = "${path.join(tlsDir, ca)}"\ntls_cert = "${path.join(tlsDir, 'cert.pem')}"\ntls_key = "${path.join(tlsDir, 'key.pem')}"\n\n`;
    fs.writeFileSync(cfg, host('secure', 'ca.pem') + host('impostor', 'other-ca.pem'));
    const vol = `${project}_overtls`;
    try {
      await te.docker.createVolume({ Name: vol, Labels: te.labels });
      await te.dockerCli(['run', '--rm', '--label', 'berth.test=1', '--network', 'none', '-v', `${vol}:/d`, te.image, 'sh', '-c', 'echo over tls > /d/f && mkdir /d/sub && chmod 0705 /d/sub']);
      const r = await run({ target: `volume:${vol}`, to: 'secure', yes: true });
      expect(r.code, r.text).toBe(0);
      expect(r.text).toContain(`migrated volume ${vol} to secure`);
      expect(await fingerprint(otherTe, vol)).toEqual(await fingerprint(te, vol));
      await expect(run({ target: `volume:${vol}`, to: 'impostor', yes: true })).rejects.toThrow(new RegExp(`^cannot reach the Docker engine at tcp://127\\.0\\.0\\.1:${tlsPort}: [^\\n]*certificate[^\\n]*$`));
    } finally {
      fs.rmSync(cfg, { force: true });
    }
  }, 120_000);

  it('says where a target is missing, in one line', async () => {
    await expect(run({ target: 'no-such-thing', yes: true })).rejects.toThrow('no-such-thing: no volume or project of that name on the source engine');
    await expect(run({ from: 'nowhere-host', yes: true })).rejects.toThrow(/^unknown host "nowhere-host": not in \[\[hosts\]\] and not a docker context; give an address like tcp:\/\/host:2376 or ssh:\/\/user@host$/);
  });
});
