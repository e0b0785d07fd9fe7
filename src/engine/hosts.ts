// Engines by name: a `[[hosts]]` entry of berth's config (name, address, TLS files,
// read_only), a docker context, or an address as the docker CLI takes it (unix://, tcp://,
// ssh://). Used where a command names an engine other than the current one (berth migrate).
import { UserError } from '../config/errors.js';
import type { HostConfig } from '../config/schema.js';
import { dockerConfigDir, readContext, type EngineAddress } from './address.js';

export interface NamedHost extends EngineAddress {
  /** the name the user gave (or the address) */
  name: string;
  readOnly: boolean;
}

const isAddress = (s: string) => /^[a-z]+:\/\//.test(s) || s.startsWith('/');

/** The engine `name` means: a [[hosts]] entry, else a docker context, else an address. */
export function resolveHost(name: string, hosts: readonly HostConfig[], env: NodeJS.ProcessEnv = process.env): NamedHost {
  const h = hosts.find((x) => x.name === name);
  if (h) {
    const home = (f: string | undefined) => f?.replace(/^~(?=\/|$)/, env.HOME ?? '~');
    const tls = h.tls_ca || h.tls_cert || h.tls_key ? { ca: home(h.tls_ca), cert: home(h.tls_cert), key: home(h.tls_key), verify: h.tls_verify } : undefined;
    return { name, address: h.address, source: 'config', tls, readOnly: h.read_only };
  }
  if (isAddress(name)) return { name, address: name, source: 'flag', readOnly: false };
  try {
    return { name, ...readContext(name, dockerConfigDir(env)), readOnly: false };
  } catch {
    const known = hosts.map((x) => x.name);
    throw new UserError(`unknown host "${name}": not in [[hosts]]${known.length ? ` (${known.join(', ')})` : ''} and not a docker context; give an address like tcp://host:2376 or ssh://user@host`);
  }
}
