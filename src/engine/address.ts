// Works out which Docker engine to talk to, the way the docker CLI does:
// --host, DOCKER_HOST, DOCKER_CONTEXT, the current context in ~/.docker/config.json,
// then the default socket. Pure apart from reading the docker config folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../config/errors.js';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export interface TlsFiles {
  ca?: string;
  cert?: string;
  key?: string;
  verify: boolean;
}

export interface EngineAddress {
  /** What the user sees: unix:///path, tcp://host:port, ssh://user@host. */
  address: string;
  /** Where the address came from, for messages. */
  source: 'flag' | 'DOCKER_HOST' | 'DOCKER_CONTEXT' | 'config' | 'context' | 'default';
  context?: string;
  tls?: TlsFiles;
}

export interface ResolveOptions {
  host?: string;
  configHost?: string;
  env?: NodeJS.ProcessEnv;
  dockerConfigDir?: string;
}

export function dockerConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_CONFIG || path.join(os.homedir(), '.docker');
}

function readJson(file: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UserError(`${file}: cannot read docker config (${(e as Error).message.split('\n')[0]})`);
  }
}

function tlsFromEnv(env: NodeJS.ProcessEnv): TlsFiles | undefined {
  const certPath = env.DOCKER_CERT_PATH;
  const verify = !!env.DOCKER_TLS_VERIFY && env.DOCKER_TLS_VERIFY !== '0';
  if (!certPath && !verify) return undefined;
  const dir = certPath || dockerConfigDir(env);
  return {
    ca: path.join(dir, 'ca.pem'),
    cert: path.join(dir, 'cert.pem'),
    key: path.join(dir, 'key.pem'),
    verify,
  };
}

/** Reads a named context's docker endpoint from <config>/contexts/meta/<sha256(name)>/meta.json. */
export function readContext(name: string, configDir: string): EngineAddress {
  if (name === 'default') return { address: `unix://${DEFAULT_SOCKET}`, source: 'context', context: name };
  const id = crypto.createHash('sha256').update(name).digest('hex');
  const metaFile = path.join(configDir, 'contexts', 'meta', id, 'meta.json');
  const meta = readJson(metaFile);
  if (!meta) throw new UserError(`docker context "${name}" not found (looked in ${path.join(configDir, 'contexts')})`);
  const endpoints = (meta.Endpoints ?? {}) as Record<string, { Host?: string; SkipTLSVerify?: boolean }>;
  const host = endpoints.docker?.Host;
  if (!host) throw new UserError(`docker context "${name}" has no docker endpoint (${metaFile})`);
  const tlsDir = path.join(configDir, 'contexts', 'tls', id, 'docker');
  let tls: TlsFiles | undefined;
  if (fs.existsSync(tlsDir)) {
    tls = {
      ca: path.join(tlsDir, 'ca.pem'),
      cert: path.join(tlsDir, 'cert.pem'),
      key: path.join(tlsDir, 'key.pem'),
      verify: !endpoints.docker?.SkipTLSVerify,
    };
  }
  return { address: host, source: 'context', context: name, tls };
}

export function resolveAddress(opts: ResolveOptions = {}): EngineAddress {
  const env = opts.env ?? process.env;
  const cfgDir = opts.dockerConfigDir ?? dockerConfigDir(env);
  if (opts.host) return { address: opts.host, source: 'flag', tls: tlsFromEnv(env) };
  if (env.DOCKER_HOST) return { address: env.DOCKER_HOST, source: 'DOCKER_HOST', tls: tlsFromEnv(env) };
  if (env.DOCKER_CONTEXT) return { ...readContext(env.DOCKER_CONTEXT, cfgDir), source: 'DOCKER_CONTEXT' };
  if (opts.configHost) return { address: opts.configHost, source: 'config' };
  const cfg = readJson(path.join(cfgDir, 'config.json'));
  const current = typeof cfg?.currentContext === 'string' ? cfg.currentContext : '';
  if (current && current !== 'default') return readContext(current, cfgDir);
  return { address: `unix://${DEFAULT_SOCKET}`, source: 'default' };
}

export type ModemOptions =
  | { socketPath: string }
  | {
      protocol: 'http' | 'https' | 'ssh';
      host: string;
      port: number;
      username?: string;
      ca?: Buffer;
      cert?: Buffer;
      key?: Buffer;
    };

function readIf(file: string | undefined): Buffer | undefined {
  if (!file) return undefined;
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Translates an address into dockerode/docker-modem options. */
export function modemOptions(addr: EngineAddress): ModemOptions {
  const a = addr.address;
  if (a.startsWith('unix://')) return { socketPath: a.slice('unix://'.length) };
  if (a.startsWith('/')) return { socketPath: a };
  let url: URL;
  try {
    url = new URL(a);
  } catch {
    throw new UserError(`engine address "${a}" (from ${addr.source}) is not a valid URL; use unix:///path, tcp://host:port or ssh://user@host`);
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:' || url.protocol === 'https:') {
    const tls = url.protocol === 'https:' || !!addr.tls;
    return {
      protocol: tls ? 'https' : 'http',
      host: url.hostname,
      port: Number(url.port || (tls ? 2376 : 2375)),
      ca: readIf(addr.tls?.ca),
      cert: readIf(addr.tls?.cert),
      key: readIf(addr.tls?.key),
    };
  }
  if (url.protocol === 'ssh:') {
    return { protocol: 'ssh', host: url.hostname, port: Number(url.port || 22), username: url.username || undefined };
  }
  throw new UserError(`engine address "${a}" (from ${addr.source}) uses an unsupported scheme; use unix://, tcp:// or ssh://`);
}

/** True when the engine runs on this host, so its containers' cgroup files are readable here. */
export function isLocalAddress(addr: EngineAddress): boolean {
  return addr.address.startsWith('unix://') || addr.address.startsWith('/');
}
