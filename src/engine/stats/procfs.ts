// Parsers for the kernel text files the local reader uses. Pure functions over file text.

/** Linux USER_HZ: docker hard-codes sysconf(_SC_CLK_TCK) = 100 as well. */
export const CLOCK_TICKS_PER_SECOND = 100;
const NS_PER_TICK = 1e9 / CLOCK_TICKS_PER_SECOND;

export interface ProcStat {
  /** Host CPU time in ns: the first seven fields of the `cpu` line (as the docker daemon). */
  systemNs: number;
  /** Number of `cpuN` lines, i.e. online CPUs. */
  onlineCpus: number;
}

/** /proc/stat: host CPU time (docker's system_cpu_usage) and the number of online CPUs. */
export function parseProcStat(text: string): ProcStat {
  let systemNs = -1;
  let onlineCpus = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const fields = line.trim().split(/\s+/);
    if (fields[0] === 'cpu') {
      // user nice system idle iowait irq softirq; steal and guest are left out, as docker does.
      if (fields.length < 8) throw new Error('/proc/stat: too few fields on the cpu line');
      let ticks = 0;
      for (let i = 1; i < 8; i++) ticks += parseUnsigned(fields[i], '/proc/stat');
      systemNs = ticks * NS_PER_TICK;
    } else if (/^cpu\d+$/.test(fields[0])) {
      onlineCpus++;
    }
  }
  if (systemNs < 0) throw new Error('/proc/stat: no cpu line');
  return { systemNs, onlineCpus };
}

/** /proc/meminfo MemTotal in bytes. */
export function parseMemTotal(text: string): number {
  const m = /^MemTotal:\s+(\d+)\s*kB/m.exec(text);
  if (!m) throw new Error('/proc/meminfo: no MemTotal line');
  return Number(m[1]) * 1024;
}

/** /proc/<pid>/net/dev: bytes received and sent, summed over every interface except lo. */
export function parseNetDev(text: string): { rxBytes: number; txBytes: number } {
  let rxBytes = 0;
  let txBytes = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo' || name.includes('|')) continue;
    const fields = line.slice(colon + 1).trim().split(/\s+/);
    // 8 receive columns then 8 transmit columns; bytes come first in each group.
    if (fields.length < 9) continue;
    rxBytes += parseUnsigned(fields[0], 'net/dev');
    txBytes += parseUnsigned(fields[8], 'net/dev');
  }
  return { rxBytes, txBytes };
}

/**
 * Only the named keys of a flat-keyed cgroup file, found without splitting it: the sampler
 * reads memory.stat (some 35 lines on cgroup v1) for every container every tick and needs
 * one or two of its values.
 */
export function pickFlatKeyed<K extends string>(text: string, keys: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const key of keys) {
    let at = text.startsWith(`${key} `) ? 0 : text.indexOf(`\n${key} `);
    if (at < 0) continue;
    if (at > 0 || text[0] === '\n') at += 1;
    const from = at + key.length + 1;
    const end = text.indexOf('\n', from);
    const value = Number(text.slice(from, end < 0 ? undefined : end).trim());
    if (Number.isFinite(value)) out[key] = value;
  }
  return out;
}

/** Flat-keyed cgroup files ("key value" per line): memory.stat, cpu.stat. */
export function parseFlatKeyed(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const value = Number(line.slice(space + 1).trim());
    if (Number.isFinite(value)) out[line.slice(0, space)] = value;
  }
  return out;
}

/** A single-value cgroup file: a number, or "max" (v2, no limit) as Infinity. */
export function parseSingleValue(text: string, what: string): number {
  const s = text.trim();
  if (s === 'max') return Infinity;
  return parseUnsigned(s, what);
}

export interface ProcCgroupEntry {
  hierarchyId: number;
  /** v1 controllers ("cpu", "cpuacct", "name=systemd"); empty for the v2 line "0::". */
  controllers: string[];
  path: string;
}

/** /proc/<pid>/cgroup: "hierarchy-ID:controller-list:cgroup-path" per line. */
export function parseProcCgroup(text: string): ProcCgroupEntry[] {
  const out: ProcCgroupEntry[] = [];
  for (const line of text.split('\n')) {
    const a = line.indexOf(':');
    const b = a < 0 ? -1 : line.indexOf(':', a + 1);
    if (b < 0) continue;
    const list = line.slice(a + 1, b);
    out.push({
      hierarchyId: Number(line.slice(0, a)),
      controllers: list === '' ? [] : list.split(','),
      path: line.slice(b + 1),
    });
  }
  return out;
}

export interface CgroupMount {
  /** Root of the mount within its hierarchy (field 4 of mountinfo), usually "/". */
  root: string;
  mountPoint: string;
  version: 1 | 2;
  /** v1: the controllers the hierarchy carries (from the super options); empty on v2. */
  controllers: string[];
}

/** The cgroup (v1) and cgroup2 mounts listed in a mountinfo file. */
export function parseCgroupMounts(text: string): CgroupMount[] {
  const out: CgroupMount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const sep = fields.indexOf('-', 6);
    if (sep < 0 || fields.length < sep + 4) continue;
    const fsType = fields[sep + 1];
    if (fsType !== 'cgroup' && fsType !== 'cgroup2') continue;
    const root = unescapeMountField(fields[3]);
    const mountPoint = unescapeMountField(fields[4]);
    if (fsType === 'cgroup2') {
      out.push({ root, mountPoint, version: 2, controllers: [] });
    } else {
      const known = new Set(['rw', 'ro']);
      const controllers = fields[sep + 3].split(',').filter((o) => !known.has(o));
      out.push({ root, mountPoint, version: 1, controllers });
    }
  }
  return out;
}

/** mountinfo escapes space, tab, newline and backslash as \ooo octal. */
function unescapeMountField(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_m, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

function parseUnsigned(s: string | undefined, what: string): number {
  if (s === undefined || !/^\d+$/.test(s)) throw new Error(`${what}: not a number: ${JSON.stringify(s)}`);
  return Number(s);
}
