// Traefik as compose files describe it: the `traefik.*` labels of a service (routers, their
// rules, entrypoints and cert resolvers, the load balancer port, the network Traefik should
// use), and a Traefik service itself (the entrypoints, cert resolvers and docker-provider
// settings its command line defines, the networks it is on). Pure: reads ComposeFile data.
import { isRecord, type ComposeFile, type PathSeg, type Service } from '../compose/file.js';

export interface Label {
  key: string;
  value: string;
  /** where the label is in the compose file, for `ComposeFile.yaml.locate` */
  segs: PathSeg[];
}

/** A service's labels in either compose form (list of key=value, or a map), with their places. */
export function labelsOf(compose: ComposeFile, name: string, service: Service): Label[] {
  const labels = service.labels;
  const out: Label[] = [];
  if (Array.isArray(labels)) {
    labels.forEach((entry, i) => {
      const text = compose.expand(entry) ?? String(entry);
      const eq = text.indexOf('=');
      out.push({ key: (eq < 0 ? text : text.slice(0, eq)).trim(), value: eq < 0 ? '' : text.slice(eq + 1).trim(), segs: ['services', name, 'labels', i] });
    });
  } else if (isRecord(labels)) {
    for (const [key, v] of Object.entries(labels)) out.push({ key, value: compose.expand(v) ?? String(v ?? ''), segs: ['services', name, 'labels', key] });
  }
  return out;
}

export interface Router {
  name: string;
  /** http or tcp */
  kind: string;
  rule?: Label;
  entrypoints?: Label;
  certresolver?: Label;
  service?: Label;
  /** the first label naming this router, for pointing at it */
  first: Label;
}

export interface TraefikLabels {
  labels: Label[];
  traefik: Label[];
  enable?: Label;
  routers: Router[];
  /** loadbalancer.server.port labels, by Traefik service name */
  ports: Array<{ service: string; label: Label }>;
  /** traefik.docker.network */
  network?: Label;
}

export function traefikLabels(compose: ComposeFile, name: string, service: Service): TraefikLabels {
  const labels = labelsOf(compose, name, service);
  const traefik = labels.filter((l) => l.key.startsWith('traefik.'));
  const routers = new Map<string, Router>();
  const ports: TraefikLabels['ports'] = [];
  let enable: Label | undefined;
  let network: Label | undefined;
  for (const l of traefik) {
    if (l.key === 'traefik.enable') enable = l;
    if (l.key === 'traefik.docker.network') network = l;
    const r = /^traefik\.(http|tcp|udp)\.routers\.([^.]+)\.(.+)$/.exec(l.key);
    if (r) {
      const id = `${r[1]}/${r[2]}`;
      const router = routers.get(id) ?? { name: r[2]!, kind: r[1]!, first: l };
      const prop = r[3]!.toLowerCase();
      if (prop === 'rule') router.rule = l;
      else if (prop === 'entrypoints') router.entrypoints = l;
      else if (prop === 'tls.certresolver') router.certresolver = l;
      else if (prop === 'service') router.service = l;
      routers.set(id, router);
    }
    const p = /^traefik\.(?:http|tcp|udp)\.services\.([^.]+)\.loadbalancer\.server\.port$/i.exec(l.key);
    if (p) ports.push({ service: p[1]!, label: l });
  }
  return { labels, traefik, enable, routers: [...routers.values()], ports, network };
}

/** The networks a service is on, by their engine names (`<project>_<key>` unless external or named). */
export function serviceNetworks(compose: ComposeFile, service: Service): string[] {
  if (typeof service.network_mode === 'string') return [];
  const keys = Array.isArray(service.networks) ? service.networks.map(String) : isRecord(service.networks) ? Object.keys(service.networks) : ['default'];
  return keys.map((k) => networkName(compose, k));
}

export function networkName(compose: ComposeFile, key: string): string {
  const top = isRecord(compose.root.networks) ? compose.root.networks[key] : undefined;
  if (isRecord(top)) {
    const name = compose.expand(top.name);
    if (name) return name;
    if (top.external === true || (isRecord(top.external) && top.external.name)) return isRecord(top.external) ? String(top.external.name) : key;
  }
  return `${compose.projectName()}_${key}`;
}

/** The ports a service's container listens on as its compose file says (expose, ports' container side). */
export function containerPorts(compose: ComposeFile, service: Service): Set<number> {
  const out = new Set<number>();
  const add = (text: string | null) => {
    const m = /^(\d+)(?:-(\d+))?(?:\/\w+)?$/.exec((text ?? '').trim());
    if (!m) return;
    for (let p = Number(m[1]); p <= Number(m[2] ?? m[1]) && p - Number(m[1]) < 1000; p++) out.add(p);
  };
  if (Array.isArray(service.expose)) for (const e of service.expose) add(compose.expand(e));
  if (Array.isArray(service.ports)) {
    for (const e of service.ports) {
      if (isRecord(e)) add(compose.expand(e.target));
      else {
        const text = (compose.expand(e) ?? '').replace(/\/\w+$/, '');
        add(text.split(':').pop() ?? '');
      }
    }
  }
  return out;
}

export interface TraefikInstance {
  project: string;
  service: string;
  compose: ComposeFile;
  /** null when its command line says nothing (a static config file is used instead) */
  entrypoints: Set<string> | null;
  resolvers: Set<string> | null;
  /** --providers.docker.exposedbydefault (Traefik's default: true) */
  exposedByDefault: boolean;
  /** --providers.docker.network */
  network: string | null;
  networks: string[];
}

const isTraefikImage = (image: unknown) => typeof image === 'string' && /(^|\/)traefik(:|@|$)/.test(image);

/** Traefik services in a compose file, with what their command lines define. */
export function traefikInstances(project: string, compose: ComposeFile): TraefikInstance[] {
  const out: TraefikInstance[] = [];
  for (const [name, svc] of Object.entries(compose.services)) {
    if (!isTraefikImage(compose.expand(svc.image))) continue;
    const raw = svc.command;
    const args = Array.isArray(raw) ? raw.map((a) => compose.expand(a) ?? String(a)) : typeof raw === 'string' ? (compose.expand(raw) ?? raw).split(/\s+/) : [];
    const entrypoints = new Set<string>();
    const resolvers = new Set<string>();
    let exposedByDefault = true;
    let network: string | null = null;
    for (const a of args) {
      const e = /^--entrypoints\.([^.=]+)\./i.exec(a);
      if (e) entrypoints.add(e[1]!);
      const c = /^--certificatesresolvers\.([^.=]+)\./i.exec(a);
      if (c) resolvers.add(c[1]!);
      const x = /^--providers\.docker\.exposedbydefault(?:=(\w+))?$/i.exec(a);
      if (x) exposedByDefault = (x[1] ?? 'true').toLowerCase() !== 'false';
      const n = /^--providers\.docker\.network=(.+)$/i.exec(a);
      if (n) network = n[1]!;
    }
    const fromCommand = args.some((a) => a.startsWith('--'));
    out.push({
      project,
      service: name,
      compose,
      entrypoints: fromCommand ? entrypoints : null,
      resolvers: fromCommand ? resolvers : null,
      exposedByDefault,
      network,
      networks: serviceNetworks(compose, svc),
    });
  }
  return out;
}

/** The matchers Traefik v2/v3 routers accept. */
export const MATCHERS = ['Host', 'HostRegexp', 'Path', 'PathPrefix', 'PathRegexp', 'Method', 'Header', 'HeaderRegexp', 'Headers', 'HeadersRegexp', 'Query', 'QueryRegexp', 'ClientIP', 'HostSNI', 'HostSNIRegexp', 'ALPN'];

/**
 * What is wrong with a router rule, or null: unknown matchers, arguments not in backticks
 * (Traefik wants Host(`a.example.com`); quotes break the rule), unbalanced parentheses.
 */
export function ruleProblem(rule: string): string | null {
  let depth = 0;
  let inTick = false;
  for (const ch of rule) {
    if (ch === '`') inTick = !inTick;
    else if (!inTick && ch === '(') depth++;
    else if (!inTick && ch === ')' && --depth < 0) return 'a ) without its (';
  }
  if (inTick) return 'a backtick is not closed';
  if (depth !== 0) return 'a ( is not closed';
  const calls = [...rule.matchAll(/([A-Za-z]+)\s*\(([^)]*)\)/g)];
  if (!calls.length) return 'no matcher such as Host(`app.example.com`)';
  for (const c of calls) {
    const [, fn, args] = c;
    if (!MATCHERS.includes(fn!)) return `unknown matcher ${fn}() (Traefik knows ${MATCHERS.slice(0, 6).join(', ')} …)`;
    if (!args!.trim()) return `${fn}() has no argument`;
    if (/["']/.test(args!) || !/^\s*`[^`]*`(\s*,\s*`[^`]*`)*\s*$/.test(args!)) return `${fn}(${args}): arguments go in backticks, e.g. ${fn}(\`app.example.com\`)`;
  }
  return null;
}

/** The hosts a rule claims with Host(`a`, `b`) / HostSNI(`a`). */
export function ruleHosts(rule: string): string[] {
  const out: string[] = [];
  for (const m of rule.matchAll(/\bHost(?:SNI)?\s*\(([^)]*)\)/g)) for (const h of m[1]!.matchAll(/`([^`]+)`/g)) out.push(h[1]!.toLowerCase());
  return out;
}
