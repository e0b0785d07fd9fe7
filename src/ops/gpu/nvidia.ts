// Parsers for nvidia-smi's CSV queries (--format=csv,noheader,nounits) and `nvidia-smi -L`.
import type { GpuInfo, GpuProcess } from './types.js';

/** The query-gpu fields berth asks for, in this order. */
export const NVIDIA_GPU_FIELDS = [
  'index',
  'uuid',
  'name',
  'utilization.gpu',
  'memory.used',
  'memory.total',
  'temperature.gpu',
  'power.draw',
  'power.limit',
] as const;

export const NVIDIA_APP_FIELDS = ['gpu_uuid', 'pid', 'process_name', 'used_memory'] as const;

export const NVIDIA_QUERY_GPU_ARGS = [
  `--query-gpu=${NVIDIA_GPU_FIELDS.join(',')}`,
  '--format=csv,noheader,nounits',
];
export const NVIDIA_QUERY_APPS_ARGS = [
  `--query-compute-apps=${NVIDIA_APP_FIELDS.join(',')}`,
  '--format=csv,noheader,nounits',
];

export interface NvidiaGpuParse {
  gpus: GpuInfo[];
  /** Lines that were not rows: driver errors, warnings, lost-GPU messages. */
  warnings: string[];
}

export interface NvidiaAppsParse {
  processes: GpuProcess[];
  warnings: string[];
}

/** True for nvidia-smi's "no value" cells: N/A, [N/A], [Not Supported], [Unknown Error], … */
export function isNoValue(cell: string): boolean {
  const c = cell.trim();
  return c === '' || c === 'N/A' || (c.startsWith('[') && c.endsWith(']'));
}

/** A number cell; tolerates units (a query run without nounits) and returns null for no-value cells. */
export function numberCell(cell: string | undefined): number | null {
  if (cell === undefined || isNoValue(cell)) return null;
  const m = /^\s*(-?\d+(?:\.\d+)?)(?:\s*(?:%|MiB|W|C))?\s*$/.exec(cell);
  return m ? Number(m[1]) : null;
}

function textCell(cell: string | undefined): string | null {
  if (cell === undefined || isNoValue(cell)) return null;
  return cell.trim();
}

/** Error cell text without brackets: "[GPU is lost]" -> "GPU is lost". */
function bracketText(cell: string): string {
  const c = cell.trim();
  return c.startsWith('[') && c.endsWith(']') ? c.slice(1, -1) : c;
}

const BUS_ID = /([0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-9a-fA-F])/;

export interface LostGpuLine {
  index: number | null;
  busId: string | null;
  error: string;
}

/**
 * "Unable to determine the device handle for GPU0000:0B:00.0: Unknown Error",
 * "… for GPU 0000:0A:00.0: GPU is lost.  Reboot the system to recover this GPU",
 * "… for GPU1: 0000:34:00.0: Unknown Error" (newer drivers name the index too).
 */
export function parseLostGpuLine(line: string): LostGpuLine | null {
  const m = /^Unable to determine the device handle for (.*)$/i.exec(line.trim());
  if (!m) return null;
  const rest = m[1];
  const idx = /^GPU\s*(\d{1,4}):\s/i.exec(rest); // "GPU1: 0000:34:00.0", not "GPU0000:0B:00.0"
  const bus = BUS_ID.exec(rest);
  let error = 'Unknown Error';
  if (bus) {
    const after = rest.slice(bus.index + bus[0].length).replace(/^\s*:\s*/, '').trim();
    if (after) error = after.replace(/\s+/g, ' ');
  } else {
    const parts = rest.split(':');
    if (parts.length > 1) error = parts.slice(1).join(':').trim() || error;
  }
  return {
    index: idx ? Number(idx[1]) : null,
    busId: bus ? bus[1] : null,
    error,
  };
}

function splitCsv(line: string): string[] {
  // nvidia-smi separates cells with ", " and never quotes; names may contain ", ".
  return line.split(',').map((c) => c.trim());
}

function lostGpu(index: number | null, busId: string | null, error: string): GpuInfo {
  return {
    index,
    uuid: null,
    name: null,
    busId,
    utilPct: null,
    memUsedMiB: null,
    memTotalMiB: null,
    tempC: null,
    powerW: null,
    powerLimitW: null,
    lost: true,
    error,
  };
}

/**
 * Output of `nvidia-smi --query-gpu=index,uuid,name,utilization.gpu,memory.used,memory.total,
 * temperature.gpu,power.draw,power.limit --format=csv,noheader,nounits`.
 *
 * A GPU that fell off the bus shows up as an "Unable to determine the device handle …" line,
 * usually followed by a row of "[Unknown Error]" cells in its place; nvidia-smi still prints the
 * healthy GPUs' rows (and exits non-zero). That GPU is reported with lost: true.
 */
export function parseNvidiaQueryGpu(text: string): NvidiaGpuParse {
  const gpus: GpuInfo[] = [];
  const warnings: string[] = [];
  const pendingLost: LostGpuLine[] = [];
  let rowPosition = 0;

  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;

    const lostLine = parseLostGpuLine(line);
    if (lostLine) {
      warnings.push(line);
      pendingLost.push(lostLine);
      continue;
    }

    const cells = splitCsv(line);
    if (cells.length < NVIDIA_GPU_FIELDS.length) {
      warnings.push(line);
      continue;
    }
    const position = rowPosition++;
    const allErrors = cells.every((c) => isNoValue(c) && c.startsWith('['));
    if (allErrors) {
      // The row that stands in for a GPU nvidia-smi could not reach.
      const info = pendingLost.shift();
      gpus.push(
        lostGpu(info?.index ?? position, info?.busId ?? null, info?.error ?? bracketText(cells[0])),
      );
      continue;
    }

    const index = numberCell(cells[0]);
    if (index === null || !Number.isInteger(index)) {
      warnings.push(line);
      continue;
    }
    // Outside in: index and uuid from the left, the six figures from the right, the name between.
    const right = cells.slice(-6);
    const name = cells.slice(2, cells.length - 6).join(', ');
    const lostCell = cells.find((c) => /^\[GPU is lost\]$/i.test(c));
    gpus.push({
      index,
      uuid: textCell(cells[1]),
      name: textCell(name),
      busId: null,
      utilPct: numberCell(right[0]),
      memUsedMiB: numberCell(right[1]),
      memTotalMiB: numberCell(right[2]),
      tempC: numberCell(right[3]),
      powerW: numberCell(right[4]),
      powerLimitW: numberCell(right[5]),
      lost: Boolean(lostCell),
      error: lostCell ? bracketText(lostCell) : null,
    });
  }

  // Error lines with no stand-in row: still report those GPUs as lost.
  for (const info of pendingLost) {
    const known = info.index !== null && gpus.some((g) => g.index === info.index);
    if (!known) gpus.push(lostGpu(info.index, info.busId, info.error));
  }
  gpus.sort((a, b) => (a.index ?? Number.MAX_SAFE_INTEGER) - (b.index ?? Number.MAX_SAFE_INTEGER));
  return { gpus, warnings };
}

/**
 * Output of `nvidia-smi --query-compute-apps=gpu_uuid,pid,process_name,used_memory
 * --format=csv,noheader,nounits`. used_memory may be [N/A] (MIG without permissions, WDDM).
 * Pass the GPUs from the query-gpu call to resolve each process's GPU index.
 */
export function parseNvidiaComputeApps(text: string, gpus: GpuInfo[] = []): NvidiaAppsParse {
  const processes: GpuProcess[] = [];
  const warnings: string[] = [];
  const byUuid = new Map(gpus.filter((g) => g.uuid).map((g) => [g.uuid as string, g]));
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const cells = splitCsv(line);
    if (cells.length < NVIDIA_APP_FIELDS.length || parseLostGpuLine(line)) {
      warnings.push(line);
      continue;
    }
    const pid = numberCell(cells[1]);
    if (pid === null || !Number.isInteger(pid) || pid <= 0) {
      warnings.push(line);
      continue;
    }
    const gpuUuid = textCell(cells[0]);
    const gpu = gpuUuid ? byUuid.get(gpuUuid) : undefined;
    processes.push({
      pid,
      name: cells.slice(2, cells.length - 1).join(', '),
      gpuUuid,
      gpuIndex: gpu?.index ?? null,
      usedMemMiB: numberCell(cells[cells.length - 1]),
    });
  }
  return { processes, warnings };
}

export interface NvidiaListedGpu {
  index: number;
  name: string;
  uuid: string | null;
  mig: { profile: string; device: number; uuid: string }[];
}

/**
 * `nvidia-smi -L`: "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-…)" lines, each followed by its
 * "  MIG 3g.40gb     Device  0: (UUID: MIG-…)" lines when MIG is on.
 */
export function parseNvidiaList(text: string): NvidiaListedGpu[] {
  const out: NvidiaListedGpu[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const gpu = /^GPU\s+(\d+):\s*(.*?)\s*(?:\(UUID:\s*([^)\s]+)\s*\)?)?\s*$/.exec(raw.trim());
    if (gpu) {
      out.push({ index: Number(gpu[1]), name: gpu[2], uuid: gpu[3] ?? null, mig: [] });
      continue;
    }
    const mig = /^MIG\s+(\S+)\s+Device\s+(\d+):\s*\(UUID:\s*([^)\s]+)\)/.exec(raw.trim());
    if (mig && out.length > 0) {
      out[out.length - 1].mig.push({ profile: mig[1], device: Number(mig[2]), uuid: mig[3] });
    }
  }
  return out;
}

/** The parent GPU of a MIG device uuid (or the GPU itself for a GPU uuid), from `-L` output. */
export function parentGpuOf(uuid: string, listed: NvidiaListedGpu[]): NvidiaListedGpu | null {
  for (const g of listed) {
    if (g.uuid === uuid || g.mig.some((m) => m.uuid === uuid)) return g;
  }
  return null;
}
