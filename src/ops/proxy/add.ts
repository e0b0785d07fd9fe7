// `berth proxy add`: the compose-file edit that puts a service behind Traefik. The file is
// edited through the yaml library's Document API, so its comments, key order and quoting
// stay as they were; only the service's labels and networks and the top-level networks
// change. Labels follow the file's own form (list of key=value, or a map); running it twice
// changes nothing. Pure: text in, text out.
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap, type YAMLSeq } from 'yaml';
import { diffArrays } from 'diff';
import { UserError } from '../../config/errors.js';
import type { TraefikInstance } from './traefik.js';

export interface ProxyAddOptions {
  project: string;
  service: string;
  host: string;
  port: number;
  tls: boolean;
  /** defaults from the Traefik container found (else web / websecure, proxy, no resolver) */
  entrypoint?: string;
  resolver?: string;
  network?: string;
}

export interface ProxyPlan {
  before: string;
  after: string;
  /** what was chosen and why, one line each */
  notes: string[];
  router: string;
  network: string;
  entrypoint: string;
  resolver: string | null;
}

const HOST = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** The Traefik settings to use: what the options say, else what the Traefik container defines. */
function choose(o: ProxyAddOptions, instances: TraefikInstance[]): { network: string; entrypoint: string; resolver: string | null; notes: string[] } {
  const notes: string[] = [];
  const t = instances[0];
  if (!t) notes.push('no Traefik container found in this project or the other known ones: using the usual names (entrypoints web/websecure, network proxy)');
  else notes.push(`Traefik: service ${t.service} of project ${t.project}`);
  const external = t?.networks.find((n) => !n.startsWith(`${t.project}_`));
  const network = o.network ?? t?.network ?? external ?? t?.networks[0] ?? 'proxy';
  const eps = t?.entrypoints ? [...t.entrypoints] : [];
  const wanted = o.tls ? ['websecure', 'https'] : ['web', 'http'];
  const entrypoint = o.entrypoint ?? wanted.find((e) => eps.includes(e)) ?? (eps.length === 1 ? eps[0]! : wanted[0]!);
  if (t?.entrypoints && !t.entrypoints.has(entrypoint)) throw new UserError(`entrypoint ${entrypoint}: Traefik (${t.service}) defines ${eps.join(', ') || 'none'}; pass --entrypoint NAME`);
  let resolver: string | null = null;
  if (o.tls) {
    const rs = t?.resolvers ? [...t.resolvers] : [];
    resolver = o.resolver ?? (rs.length === 1 ? rs[0]! : null);
    if (!resolver) throw new UserError(rs.length ? `--tls: Traefik defines cert resolvers ${rs.join(', ')}; pass --resolver NAME` : '--tls needs a cert resolver: Traefik\'s command defines none berth can see; pass --resolver NAME');
    if (t?.resolvers && !t.resolvers.has(resolver)) throw new UserError(`cert resolver ${resolver}: Traefik (${t.service}) defines ${rs.join(', ') || 'none'}`);
  }
  return { network, entrypoint, resolver, notes };
}

/** Sets key=value in a labels list or map, replacing an existing value. */
function setLabel(labels: YAMLSeq | YAMLMap, doc: Document, key: string, value: string): void {
  if (isSeq(labels)) {
    const i = labels.items.findIndex((it) => isScalar(it) && String(it.value).split('=')[0]!.trim() === key);
    const node = doc.createNode(`${key}=${value}`);
    if (i >= 0) {
      if (String((labels.items[i] as { value: unknown }).value) !== `${key}=${value}`) labels.items[i] = node;
    } else labels.items.push(node);
  } else if (String(labels.get(key) ?? '') !== value) {
    labels.set(key, value);
  }
}

export function planProxyAdd(text: string, file: string, o: ProxyAddOptions, instances: TraefikInstance[]): ProxyPlan {
  if (!HOST.test(o.host)) throw new UserError(`--host ${o.host}: not a host name (e.g. app.example.com)`);
  if (!Number.isInteger(o.port) || o.port < 1 || o.port > 65535) throw new UserError(`--port ${o.port}: give the port the app listens on inside the container (1-65535)`);
  const doc = parseDocument(text);
  if (doc.errors.length) throw new UserError(`${file}: ${doc.errors[0]!.message.split('\n')[0]}`);
  const services = doc.get('services', true);
  if (!isMap(services)) throw new UserError(`${file} has no services`);
  const svc = services.get(o.service, true);
  if (!isMap(svc)) {
    const names = services.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key));
    throw new UserError(`no service ${o.service} in ${file} (services: ${names.join(', ')})`);
  }
  if (svc.get('network_mode')) throw new UserError(`${o.service} uses network_mode: ${String(svc.get('network_mode'))}; Traefik reaches it only on a network, so remove network_mode first`);
  const { network, entrypoint, resolver, notes } = choose(o, instances);
  const router = `${o.project}-${o.service}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');

  // networks: the service keeps the ones it has (or the default one it was on) and joins Traefik's
  const nets = svc.get('networks', true);
  let onNets: string[];
  if (isSeq(nets)) {
    onNets = nets.items.map((n) => String(isScalar(n) ? n.value : n));
    if (!onNets.includes(network)) nets.items.push(doc.createNode(network));
  } else if (isMap(nets)) {
    onNets = nets.items.map((p) => String(isScalar(p.key) ? p.key.value : p.key));
    if (!onNets.includes(network)) nets.set(network, null);
  } else {
    onNets = ['default'];
    const seq = doc.createNode(['default', network]) as YAMLSeq;
    seq.flow = true;
    svc.set('networks', seq);
  }
  if (!onNets.includes(network)) onNets.push(network);
  let top = doc.get('networks', true);
  if (!isMap(top)) {
    doc.set('networks', doc.createNode({}));
    top = doc.get('networks', true) as YAMLMap;
  }
  if (!(top as YAMLMap).has(network)) {
    (top as YAMLMap).set(network, doc.createNode({ external: true }));
    notes.push(`network ${network} is declared external: it belongs to Traefik, compose does not create it`);
  }

  // labels, in the form the file already uses (a list when there are none)
  let labels = svc.get('labels', true);
  if (!isSeq(labels) && !isMap(labels)) {
    svc.set('labels', doc.createNode([]));
    labels = svc.get('labels', true);
  }
  const set = (k: string, v: string) => setLabel(labels as unknown as YAMLSeq | YAMLMap, doc, k, v);
  set('traefik.enable', 'true');
  set(`traefik.http.routers.${router}.rule`, `Host(\`${o.host}\`)`);
  set(`traefik.http.routers.${router}.entrypoints`, entrypoint);
  if (o.tls) {
    set(`traefik.http.routers.${router}.tls`, 'true');
    set(`traefik.http.routers.${router}.tls.certresolver`, resolver!);
  }
  set(`traefik.http.routers.${router}.service`, router);
  set(`traefik.http.services.${router}.loadbalancer.server.port`, String(o.port));
  if (onNets.length > 1) set('traefik.docker.network', network);
  return { before: text, after: keepUntouched(text, doc.toString({ flowCollectionPadding: false })), notes, router, network, entrypoint, resolver };
}

/** Whitespace-blind form of a line: what the yaml library may re-space when it writes the file again. */
const norm = (line: string) => line.replace(/\s+/g, ' ').replace(/([[{]) /g, '$1').replace(/ ([\]}])/g, '$1').trim();

/**
 * The new text with every line that changed only in spacing (the yaml library writes
 * `a   # note` as `a # note`) put back as the user wrote it, so the diff shows only the edit.
 */
export function keepUntouched(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const out: string[] = [];
  let i = 0;
  let j = 0;
  for (const part of diffArrays(a, b, { comparator: (x, y) => norm(x) === norm(y) })) {
    const n = part.count ?? part.value.length;
    if (part.added) {
      out.push(...b.slice(j, j + n));
      j += n;
    } else if (part.removed) {
      i += n;
    } else {
      out.push(...a.slice(i, i + n));
      i += n;
      j += n;
    }
  }
  return out.join('\n');
}
