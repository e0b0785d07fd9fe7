// Turns a GPU snapshot into what the dashboard shows: a header line, per-container MiB
// and the rows of the GPU panel. Pure.
import type { GpuInfo, GpuProcess, GpuSnapshot } from '../ops/gpu/index.js';

export interface GpuSummary {
  /** Per container id: GPU memory in MiB (a lower bound when `unknown`). */
  byContainer: Record<string, { mib: number; unknown: boolean }>;
  gpus: GpuInfo[];
  processes: Array<GpuProcess & { containerId: string | null }>;
  /** Header text, e.g. "GPU 45% 10.0/24.0G", or null when there is no GPU. */
  line: string | null;
  problem: string | null;
}

function gib(mib: number): string {
  return (mib / 1024).toFixed(1);
}

export function summarizeGpu(snap: GpuSnapshot): GpuSummary | null {
  if (!snap.available) return null;
  const byContainer: GpuSummary['byContainer'] = {};
  const pidToContainer = new Map<number, string>();
  for (const [id, use] of snap.byContainer) {
    byContainer[id] = { mib: use.memUsedMiB, unknown: use.memUnknown };
    for (const pid of use.pids) pidToContainer.set(pid, id);
  }
  const live = snap.gpus.filter((g) => !g.lost);
  let line: string | null = null;
  if (snap.gpus.length) {
    const util = live.filter((g) => g.utilPct !== null);
    const avg = util.length ? Math.round(util.reduce((n, g) => n + g.utilPct!, 0) / util.length) : null;
    const used = live.reduce((n, g) => n + (g.memUsedMiB ?? 0), 0);
    const total = live.reduce((n, g) => n + (g.memTotalMiB ?? 0), 0);
    const count = snap.gpus.length > 1 ? `×${snap.gpus.length}` : '';
    const lost = snap.gpus.length - live.length;
    line = `GPU${count} ${avg === null ? '-' : `${avg}%`} ${gib(used)}/${gib(total)}G${lost ? ` ${lost} lost` : ''}`;
  }
  return {
    byContainer,
    gpus: snap.gpus,
    processes: snap.processes.map((p) => ({ ...p, containerId: pidToContainer.get(p.pid) ?? null })),
    line,
    problem: snap.problem ?? null,
  };
}
