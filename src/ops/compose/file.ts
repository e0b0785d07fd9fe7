// Reading compose files: find one in a project folder, parse it with line numbers kept
// (yaml's parseDocument + LineCounter), locate any key path as file:line:col, and read
// the parts berth cares about (services, published ports, mounts, named volumes).
import { normalizeProjectName } from '../../project/names.js';
import fs from 'node:fs';
import path from 'node:path';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type YAMLMap,
} from 'yaml';
import { interpolate, parseDotenv, InterpolationError } from './env.js';

/** The names docker compose looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

export function findComposeFile(dir: string): string | null {
  for (const name of COMPOSE_FILE_NAMES) {
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

export interface Pos {
  line: number;
  column: number;
}

export interface YamlProblem extends Pos {
  message: string;
}

export type PathSeg = string | number;

/** A parsed YAML file that can say where any key path is. */
export class YamlFile {
  readonly doc: Document;
  readonly lineCounter = new LineCounter();
  readonly errors: YamlProblem[];
  /** Plain value (aliases and merge keys resolved); null when the YAML has errors. */
  readonly value: unknown;

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lineCounter, merge: true, prettyErrors: false, uniqueKeys: true });
    this.errors = this.doc.errors.map((e) => ({ message: firstLine(e.message), ...this.posAt(e.pos[0]) }));
    let value: unknown = null;
    if (!this.errors.length) {
      try {
        value = this.doc.toJS({ maxAliasCount: 1000 });
      } catch (e) {
        this.errors.push({ message: firstLine((e as Error).message), line: 1, column: 1 });
      }
    }
    this.value = value;
  }

  posAt(offset: number): Pos {
    const p = this.lineCounter.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line: p.line, column: p.col };
  }

  /**
   * Where a key path is: the value's position, or with `key` the key's. When the path does
   * not exist, the position of the deepest part that does (e.g. the service's name).
   */
  locate(segs: PathSeg[], which: 'value' | 'key' = 'value'): Pos {
    let node: unknown = this.doc.contents;
    let best: Pos = { line: 1, column: 1 };
    if (isNodeWithRange(node)) best = this.posAt(node.range[0]);
    for (let i = 0; i < segs.length; i++) {
      node = this.deref(node);
      const seg = segs[i];
      const last = i === segs.length - 1;
      if (isMap(node) && typeof seg === 'string') {
        const pair = this.findPair(node, seg);
        if (!pair) return best;
        const keyPos = isNodeWithRange(pair.key) ? this.posAt(pair.key.range[0]) : best;
        if (last && which === 'key') return keyPos;
        best = keyPos;
        node = pair.value;
        if (last && isNodeWithRange(this.deref(node))) return this.posAt((node as YamlNode).range![0]);
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (!isNodeWithRange(item)) return best;
        best = this.posAt(item.range[0]);
        node = item;
      } else {
        return best;
      }
    }
    return best;
  }

  /** Position of the first occurrence of `needle` inside a scalar value, for pointing inside it. */
  locateInside(segs: PathSeg[], needle: string): Pos {
    let node: unknown = this.doc.contents;
    for (const seg of segs) {
      node = this.deref(node);
      if (isMap(node) && typeof seg === 'string') node = this.findPair(node, seg)?.value;
      else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
      else return this.locate(segs);
    }
    if (isScalar(node) && node.range) {
      const src = this.text.slice(node.range[0], node.range[1]);
      const at = src.indexOf(needle);
      if (at >= 0) return this.posAt(node.range[0] + at);
    }
    return this.locate(segs);
  }

  private deref(node: unknown): unknown {
    let n = node;
    for (let guard = 0; isAlias(n) && guard < 50; guard++) n = n.resolve(this.doc);
    return n;
  }

  private findPair(map: YAMLMap, key: string): { key: unknown; value: unknown } | null {
    for (const pair of map.items) {
      const k = isScalar(pair.key) ? pair.key.value : pair.key;
      if (k === key) return pair;
    }
    // Merge keys (<<: *anchor or a list of anchors): look inside the merged maps.
    for (const pair of map.items) {
      const k = isScalar(pair.key) ? pair.key.value : pair.key;
      if (k !== '<<') continue;
      const v = this.deref(pair.value);
      const sources = isSeq(v) ? v.items.map((x) => this.deref(x)) : [v];
      for (const src of sources) {
        if (isMap(src)) {
          const found = this.findPair(src, key);
          if (found) return found;
        }
      }
    }
    return null;
  }
}

function isNodeWithRange(n: unknown): n is YamlNode & { range: [number, number, number] } {
  return typeof n === 'object' && n !== null && Array.isArray((n as { range?: unknown }).range);
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? s).replace(/ at line \d+, column \d+:?$/, '').trim();
}

export type Service = Record<string, unknown>;

/** A compose file and its variables, ready for the doctor and for compose commands. */
export class ComposeFile {
  readonly yaml: YamlFile;
  readonly dir: string;
  /** Variables for interpolation: the project's .env, overridden by `env`. */
  readonly vars: Record<string, string | undefined>;
  readonly dotenvPath: string;

  constructor(
    readonly file: string,
    text: string,
    env: Record<string, string | undefined> = {},
  ) {
    this.yaml = new YamlFile(file, text);
    this.dir = path.dirname(file);
    this.dotenvPath = path.join(this.dir, '.env');
    const vars: Record<string, string | undefined> = {};
    if (fs.existsSync(this.dotenvPath)) {
      for (const [k, v] of parseDotenv(fs.readFileSync(this.dotenvPath, 'utf8'))) vars[k] = v.value;
    }
    this.vars = { ...vars, ...env };
  }

  static load(file: string, env: Record<string, string | undefined> = {}): ComposeFile {
    return new ComposeFile(file, fs.readFileSync(file, 'utf8'), env);
  }

  get valid(): boolean {
    return this.yaml.errors.length === 0 && isRecord(this.yaml.value);
  }

  get root(): Record<string, unknown> {
    return isRecord(this.yaml.value) ? this.yaml.value : {};
  }

  get services(): Record<string, Service> {
    const s = this.root.services;
    if (!isRecord(s)) return {};
    const out: Record<string, Service> = {};
    for (const [name, svc] of Object.entries(s)) out[name] = isRecord(svc) ? svc : {};
    return out;
  }

  /** Interpolates a value with the project's variables; null when a required one is missing. */
  expand(value: unknown): string | null {
    if (value === null || value === undefined) return null;
    try {
      return interpolate(String(value), this.vars);
    } catch (e) {
      if (e instanceof InterpolationError) return null;
      throw e;
    }
  }

  /** The compose project name: top-level `name`, COMPOSE_PROJECT_NAME, or the folder's name. */
  projectName(): string {
    const fromFile = this.expand(this.root.name);
    const raw = fromFile || this.vars.COMPOSE_PROJECT_NAME || path.basename(this.dir);
    return normalizeProjectName(raw);
  }
}

/** Compose v2's rule: lower case, only [a-z0-9_-], starting with a letter or digit. */
export { normalizeProjectName, normalizeProjectNameV1 } from '../../project/names.js';

/**
 * The valid compose files of the other projects berth knows (the user config's), for checks
 * across projects: the project itself (by name or folder), projects without a folder or a
 * compose file, and files that do not load are left out (they are their projects' problem).
 */
export function otherProjectComposes(others: ReadonlyArray<{ name: string; path?: string }>, self: { name: string; dir: string }, env: Record<string, string | undefined> = {}): Array<{ name: string; compose: ComposeFile }> {
  const out: Array<{ name: string; compose: ComposeFile }> = [];
  for (const o of others) {
    if (!o.path || o.name === self.name || path.resolve(o.path) === path.resolve(self.dir)) continue;
    const f = findComposeFile(o.path);
    if (!f) continue;
    try {
      const c = ComposeFile.load(f, env);
      if (c.valid) out.push({ name: o.name, compose: c });
    } catch {
      // an unreadable file of another project is that project's problem
    }
  }
  return out;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface PublishedPort {
  hostIp: string;
  hostPort: number;
  containerPort: string;
  protocol: string;
  /** Index in the service's `ports` list, for locating it. */
  index: number;
}

function expandRange(spec: string): number[] | null {
  const m = /^(\d+)(?:-(\d+))?$/.exec(spec);
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] ? Number(m[2]) : a;
  if (b < a || b - a > 10_000) return null;
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/**
 * The host ports a service publishes, from the short ("[ip:]host:container[/proto]")
 * and long ({target, published, host_ip, protocol}) syntaxes. Ports without a host
 * part get an ephemeral host port and are left out.
 */
export function publishedPorts(compose: ComposeFile, service: Service): PublishedPort[] {
  const ports = service.ports;
  if (!Array.isArray(ports)) return [];
  const out: PublishedPort[] = [];
  ports.forEach((entry, index) => {
    if (isRecord(entry)) {
      const published = compose.expand(entry.published);
      if (!published) return;
      const hostPorts = expandRange(published);
      if (!hostPorts) return;
      for (const hostPort of hostPorts) {
        out.push({
          hostIp: compose.expand(entry.host_ip) ?? '',
          hostPort,
          containerPort: String(compose.expand(entry.target) ?? ''),
          protocol: (compose.expand(entry.protocol) || 'tcp').toLowerCase(),
          index,
        });
      }
      return;
    }
    const text = compose.expand(entry);
    if (!text) return;
    let spec = text.trim();
    let protocol = 'tcp';
    const slash = spec.lastIndexOf('/');
    if (slash >= 0) {
      protocol = spec.slice(slash + 1).toLowerCase();
      spec = spec.slice(0, slash);
    }
    let hostIp = '';
    // An IPv6 host address is written in brackets: [::1]:8080:80
    const v6 = /^\[([^\]]+)\]:(.*)$/.exec(spec);
    if (v6) {
      hostIp = v6[1]!;
      spec = v6[2]!;
    }
    const parts = spec.split(':');
    if (parts.length === 3) {
      hostIp = parts[0]!;
      parts.shift();
    }
    if (parts.length !== 2 || !parts[0]) return;
    const hostPorts = expandRange(parts[0]);
    if (!hostPorts) return;
    for (const hostPort of hostPorts) out.push({ hostIp, hostPort, containerPort: parts[1]!, protocol, index });
  });
  return out;
}

export interface Mount {
  type: 'bind' | 'volume' | 'tmpfs' | 'npipe' | 'other';
  /** Host path (bind, after ~ and relative paths are resolved) or volume name; '' for anonymous. */
  source: string;
  target: string;
  readOnly: boolean;
  index: number;
}

/** Resolves ~ and relative bind sources the way compose does. */
function resolveBindSource(compose: ComposeFile, src: string, home: string): string {
  if (src === '~' || src.startsWith('~/')) return path.join(home, src.slice(1));
  if (path.isAbsolute(src)) return src;
  return path.resolve(compose.dir, src);
}

/** A service's mounts, from `volumes` (short and long syntax) and `tmpfs`. */
export function serviceMounts(compose: ComposeFile, service: Service, home = process.env.HOME ?? '/'): Mount[] {
  const out: Mount[] = [];
  const vols = service.volumes;
  if (Array.isArray(vols)) {
    vols.forEach((entry, index) => {
      if (isRecord(entry)) {
        const type = String(entry.type ?? 'volume');
        const rawSource = compose.expand(entry.source) ?? '';
        const t: Mount['type'] = type === 'bind' || type === 'volume' || type === 'tmpfs' || type === 'npipe' ? type : 'other';
        out.push({
          type: t,
          source: t === 'bind' ? resolveBindSource(compose, rawSource, home) : rawSource,
          target: compose.expand(entry.target) ?? '',
          readOnly: entry.read_only === true,
          index,
        });
        return;
      }
      const text = compose.expand(entry);
      if (!text) return;
      const parts = text.split(':');
      if (parts.length === 1) {
        out.push({ type: 'volume', source: '', target: parts[0]!, readOnly: false, index });
        return;
      }
      const [src, target, mode = ''] = parts as [string, string, string?];
      const isPath = src.startsWith('/') || src.startsWith('.') || src.startsWith('~');
      out.push({
        type: isPath ? 'bind' : 'volume',
        source: isPath ? resolveBindSource(compose, src, home) : src,
        target,
        readOnly: mode.split(',').includes('ro'),
        index,
      });
    });
  }
  const tmpfs = service.tmpfs;
  const tmpfsList = Array.isArray(tmpfs) ? tmpfs : typeof tmpfs === 'string' ? [tmpfs] : [];
  tmpfsList.forEach((t, index) => {
    const target = String(compose.expand(t) ?? '').split(':')[0] ?? '';
    if (target) out.push({ type: 'tmpfs', source: '', target, readOnly: false, index: -1 - index });
  });
  return out;
}

export interface NamedVolume {
  /** The key under top-level `volumes:`. */
  key: string;
  /** The engine's volume name: `name:` or <project>_<key>. */
  name: string;
  external: boolean;
}

/** Top-level named volumes and the names the engine will give them. */
export function namedVolumes(compose: ComposeFile, projectName = compose.projectName()): NamedVolume[] {
  const vols = compose.root.volumes;
  if (!isRecord(vols)) return [];
  return Object.entries(vols).map(([key, def]) => {
    const d = isRecord(def) ? def : {};
    const ext = d.external;
    const external = ext === true || isRecord(ext);
    const explicit = compose.expand(d.name) || (isRecord(ext) ? compose.expand(ext.name) : null);
    return { key, name: explicit || (external ? key : `${projectName}_${key}`), external };
  });
}
