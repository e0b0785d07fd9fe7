// Parser for `rocm-smi … --json`: {"card0": {"GPU use (%)": "0", …}, "system": {"PID123": "…"}}.
import type { GpuInfo, GpuProcess } from './types.js';

/**
 * One rocm-smi call per refresh. --showmeminfo takes a memory type. --showpids in JSON mode
 * gives {"system": {"PID<pid>": "<name>, <gpu count>, <vram bytes>, <sdma>, <cu occupancy>"}}.
 * (--showpidgpus prints nothing in JSON mode, so per-process GPU indexes are not available.)
 */
export const ROCM_ARGS = [
  '--showproductname',
  '--showbus',
  '--showuse',
  '--showmeminfo',
  'vram',
  '--showtemp',
  '--showpower',
  '--showmaxpower',
  '--showpids',
  '--json',
];

export interface RocmParse {
  gpus: GpuInfo[];
  processes: GpuProcess[];
  warnings: string[];
}

const MIB = 1024 * 1024;

function isNoValue(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  const s = String(v).trim().toLowerCase();
  return s === '' || s === 'n/a' || s === 'unknown' || s === 'unsupported' || s.startsWith('n/a ');
}

function num(v: unknown): number | null {
  if (isNoValue(v)) return null;
  const m = /^\s*(-?\d+(?:\.\d+)?)/.exec(String(v));
  return m ? Number(m[1]) : null;
}

function pick(card: Record<string, unknown>, keys: string[]): unknown {
  for (const k of keys) {
    if (k in card && !isNoValue(card[k])) return card[k];
  }
  return undefined;
}

/** Value of the first key matching a pattern (rocm-smi renamed fields across versions). */
function pickMatch(card: Record<string, unknown>, patterns: RegExp[]): unknown {
  for (const re of patterns) {
    for (const [k, v] of Object.entries(card)) {
      if (re.test(k) && !isNoValue(v)) return v;
    }
  }
  return undefined;
}

/** rocm-smi may print warnings around the JSON; take the outermost object. */
function extractJson(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) throw new Error('rocm-smi printed no JSON');
  return JSON.parse(text.slice(start, end + 1));
}

export function parseRocmSmiJson(text: string): RocmParse {
  const warnings: string[] = [];
  const outside = text.replace(/\{[\s\S]*\}/, '').trim();
  if (outside) warnings.push(...outside.split(/\r?\n/).map((l) => l.trim()).filter(Boolean));

  const data = extractJson(text);
  if (!data || typeof data !== 'object') throw new Error('rocm-smi printed no JSON object');

  const gpus: GpuInfo[] = [];
  const processes: GpuProcess[] = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const cardMatch = /^card(\d+)$/.exec(key);
    if (cardMatch && value && typeof value === 'object') {
      const card = value as Record<string, unknown>;
      const total = num(pick(card, ['VRAM Total Memory (B)']));
      const used = num(pick(card, ['VRAM Total Used Memory (B)']));
      const name = pick(card, ['Card Series', 'Card series', 'Device Name', 'Card Model', 'Card model']);
      const uuid = pick(card, ['Unique ID']);
      const bus = pick(card, ['PCI Bus']);
      gpus.push({
        index: Number(cardMatch[1]),
        uuid: uuid === undefined ? null : String(uuid).trim(),
        name: name === undefined ? null : String(name).trim(),
        busId: bus === undefined ? null : String(bus).trim(),
        utilPct: num(pick(card, ['GPU use (%)'])),
        memUsedMiB: used === null ? null : Math.round(used / MIB),
        memTotalMiB: total === null ? null : Math.round(total / MIB),
        tempC: num(
          pickMatch(card, [
            /^Temperature \(Sensor edge\) \(C\)$/,
            /^Temperature \(Sensor junction\) \(C\)$/,
            /^Temperature \(Sensor .*\) \(C\)$/,
          ]),
        ),
        powerW: num(
          pick(card, [
            'Average Graphics Package Power (W)',
            'Current Socket Graphics Package Power (W)',
          ]),
        ),
        powerLimitW: num(pick(card, ['Max Graphics Package Power (W)'])),
        lost: false,
        error: null,
      });
      continue;
    }
    if (key === 'system' && value && typeof value === 'object') {
      for (const [sk, sv] of Object.entries(value as Record<string, unknown>)) {
        const pidMatch = /^PID\s*(\d+)$/.exec(sk);
        if (!pidMatch) continue;
        const p = parsePidValue(Number(pidMatch[1]), String(sv));
        if (p) processes.push(p);
        else warnings.push(`${sk}: ${String(sv)}`);
      }
    }
  }
  gpus.sort((a, b) => (a.index ?? 0) - (b.index ?? 0));

  // rocm-smi only says how many GPUs a process uses. With one GPU, or a process on all of them,
  // that is enough to name them.
  for (const p of processes) {
    if (gpus.length === 1 && p.gpuCount === 1) {
      p.gpuIndex = gpus[0].index;
      p.gpuUuid = gpus[0].uuid;
    }
  }
  return { gpus, processes, warnings };
}

/** "<name>, <gpus>, <vram bytes>, <sdma>, <cu>" — rocm-smi lowercases it and turns spaces into ", ". */
function parsePidValue(pid: number, value: string): GpuProcess | null {
  const cells = value.split(',').map((c) => c.trim());
  if (cells.length < 5) return null;
  const right = cells.slice(-4);
  const vram = num(right[1]);
  const count = num(right[0]);
  return {
    pid,
    name: cells.slice(0, -4).join(' '),
    gpuUuid: null,
    gpuIndex: null,
    usedMemMiB: vram === null ? null : Math.round(vram / MIB),
    gpuCount: count ?? undefined,
  };
}
