// Opens a dockerode client for the resolved engine and checks that it answers.
import Dockerode from 'dockerode';
import { UserError } from '../config/errors.js';
import { isLocalAddress, modemOptions, resolveAddress, type EngineAddress, type ResolveOptions } from './address.js';

export interface Engine {
  address: string;
  source: EngineAddress['source'];
  docker: Dockerode;
  /** The engine runs on this machine (unix socket). */
  local: boolean;
}

export function openEngine(opts: ResolveOptions = {}): Engine {
  return engineAt(resolveAddress(opts));
}

/** A dockerode client for an address already resolved. */
export function engineAt(addr: EngineAddress): Engine {
  const docker = new Dockerode(modemOptions(addr) as Dockerode.DockerOptions);
  return { address: addr.address, source: addr.source, docker, local: isLocalAddress(addr) };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]);
}

/** One-line reason an engine did not answer, without a stack. */
export function describeEngineError(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { statusCode?: number; reason?: string };
  if (e?.code === 'ENOENT') return 'no socket there (is dockerd running?)';
  if (e?.code === 'EACCES') return 'permission denied (are you in the docker group?)';
  if (e?.code === 'ECONNREFUSED') return 'connection refused (is dockerd running?)';
  if (e?.code === 'ECONNRESET') return 'connection reset by the engine';
  if (e?.statusCode) return `engine answered HTTP ${e.statusCode}${e.reason ? ` (${e.reason})` : ''}`;
  const msg = e instanceof Error ? e.message : String(err);
  return msg.split('\n')[0] ?? msg;
}

export interface EngineVersion {
  version: string;
  apiVersion: string;
}

/** Pings the engine; throws a UserError naming the address when it does not answer. */
export async function checkEngine(engine: Engine, timeoutMs = 5000): Promise<EngineVersion> {
  try {
    const v = await withTimeout(engine.docker.version(), timeoutMs, 'request');
    return { version: v.Version, apiVersion: v.ApiVersion };
  } catch (err) {
    throw new UserError(`cannot reach the Docker engine at ${engine.address}: ${describeEngineError(err)}`);
  }
}

/** Resolves and checks the engine in one step (for one-shot commands). */
export async function resolveEngine(opts: ResolveOptions = {}): Promise<Engine & EngineVersion> {
  const engine = openEngine(opts);
  const v = await checkEngine(engine);
  return { ...engine, ...v };
}
