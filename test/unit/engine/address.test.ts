import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { modemOptions, resolveAddress } from '../../../src/engine/address.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-addr-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeContext(name: string, host: string, tls = false) {
  const id = crypto.createHash('sha256').update(name).digest('hex');
  const meta = path.join(dir, 'contexts', 'meta', id);
  fs.mkdirSync(meta, { recursive: true });
  fs.writeFileSync(path.join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
  if (tls) {
    const t = path.join(dir, 'contexts', 'tls', id, 'docker');
    fs.mkdirSync(t, { recursive: true });
    fs.writeFileSync(path.join(t, 'ca.pem'), 'CA');
  }
}

describe('resolveAddress', () => {
  it('defaults to the local socket', () => {
    expect(resolveAddress({ env: {}, dockerConfigDir: dir })).toMatchObject({ address: 'unix:///var/run/docker.sock', source: 'default' });
  });
  it('prefers --host over DOCKER_HOST over DOCKER_CONTEXT', () => {
    writeContext('remote', 'tcp://10.0.0.5:2376');
    const env = { DOCKER_HOST: 'unix:///tmp/x.sock', DOCKER_CONTEXT: 'remote' };
    expect(resolveAddress({ host: 'tcp://h:1', env, dockerConfigDir: dir }).address).toBe('tcp://h:1');
    expect(resolveAddress({ env, dockerConfigDir: dir }).address).toBe('unix:///tmp/x.sock');
    expect(resolveAddress({ env: { DOCKER_CONTEXT: 'remote' }, dockerConfigDir: dir })).toMatchObject({
      address: 'tcp://10.0.0.5:2376',
      source: 'DOCKER_CONTEXT',
      context: 'remote',
    });
  });
  it('reads the current context from config.json, with its TLS files', () => {
    writeContext('lab', 'tcp://lab:2376', true);
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ currentContext: 'lab' }));
    const a = resolveAddress({ env: {}, dockerConfigDir: dir });
    expect(a).toMatchObject({ address: 'tcp://lab:2376', source: 'context' });
    expect(a.tls?.ca).toBe(path.join(dir, 'contexts', 'tls', crypto.createHash('sha256').update('lab').digest('hex'), 'docker', 'ca.pem'));
    const m = modemOptions(a);
    expect(m).toMatchObject({ protocol: 'https', host: 'lab', port: 2376 });
    expect(String((m as { ca?: Buffer }).ca)).toBe('CA');
  });
  it('names a missing context clearly', () => {
    expect(() => resolveAddress({ env: { DOCKER_CONTEXT: 'nope' }, dockerConfigDir: dir })).toThrow(/docker context "nope" not found/);
  });
  it('uses the config host only when the environment names none', () => {
    expect(resolveAddress({ env: {}, configHost: 'tcp://c:2375', dockerConfigDir: dir })).toMatchObject({ address: 'tcp://c:2375', source: 'config' });
  });
});

describe('modemOptions', () => {
  it('maps unix, tcp and ssh addresses', () => {
    expect(modemOptions({ address: 'unix:///run/d.sock', source: 'flag' })).toEqual({ socketPath: '/run/d.sock' });
    expect(modemOptions({ address: 'tcp://1.2.3.4:2375', source: 'flag' })).toMatchObject({ protocol: 'http', host: '1.2.3.4', port: 2375 });
    expect(modemOptions({ address: 'ssh://me@box', source: 'flag' })).toMatchObject({ protocol: 'ssh', host: 'box', port: 22, username: 'me' });
  });
  it('refuses unknown schemes with a message that says what to use', () => {
    expect(() => modemOptions({ address: 'npipe:////./pipe/docker', source: 'DOCKER_HOST' })).toThrow(/unsupported scheme; use unix:\/\//);
  });
});
