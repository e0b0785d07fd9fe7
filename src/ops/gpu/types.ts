// Plain data for GPU figures. No React, no I/O here.

export type GpuTool = 'nvidia-smi' | 'rocm-smi';

/** One physical GPU (or one that should be there but fell off the bus). */
export interface GpuInfo {
  /** nvidia-smi index / rocm-smi card number; null when the tool could not say (lost GPU). */
  index: number | null;
  /** NVIDIA: GPU-… uuid. AMD: the "Unique ID" when the card reports one. */
  uuid: string | null;
  name: string | null;
  /** PCI bus id, when the tool printed one (rocm-smi, or the lost-GPU message). */
  busId: string | null;
  utilPct: number | null;
  memUsedMiB: number | null;
  memTotalMiB: number | null;
  tempC: number | null;
  powerW: number | null;
  powerLimitW: number | null;
  /** The GPU fell off the bus / could not be reached: the other figures are null. */
  lost: boolean;
  /** What the tool said about a lost GPU, e.g. "Unknown Error" or "GPU is lost. …". */
  error: string | null;
}

/** One compute process on a GPU, as the tool reports it (host PIDs). */
export interface GpuProcess {
  pid: number;
  name: string;
  /** The GPU (or MIG device) uuid the process runs on; null when unknown. */
  gpuUuid: string | null;
  /** GPU index, when known (resolved from the uuid, or from rocm-smi). */
  gpuIndex: number | null;
  /** null when the tool cannot tell (MIG without permissions, WDDM, rocm "unknown"). */
  usedMemMiB: number | null;
  /** rocm-smi only reports how many GPUs a process uses, not which. */
  gpuCount?: number;
}

/** GPU use attributed to one container. */
export interface ContainerGpuUse {
  /** Sum of the known per-process figures. */
  memUsedMiB: number;
  /** True when at least one process's memory could not be read (the sum is a lower bound). */
  memUnknown: boolean;
  /** Keys of the GPUs it uses: uuid when known, else "gpu<index>". */
  gpus: string[];
  gpuIndexes: number[];
  pids: number[];
}

export interface GpuSnapshot {
  /** A GPU tool was found. When false nothing is shown and nothing is ever spawned. */
  available: boolean;
  tool: GpuTool | null;
  gpus: GpuInfo[];
  processes: GpuProcess[];
  /** Full 64-hex container id -> its GPU use. */
  byContainer: Map<string, ContainerGpuUse>;
  /** A tool that hangs or errors: one line for the UI. Stays set while the problem lasts. */
  problem?: string;
  /** Lines the tool printed that were not data (warnings, lost-GPU messages). */
  warnings: string[];
  /** ms since epoch of the data (of the last successful sample when backing off). */
  sampledAt: number;
}

/** Key used in ContainerGpuUse.gpus for a GPU. */
export function gpuKey(gpu: Pick<GpuInfo, 'uuid' | 'index'>): string {
  if (gpu.uuid) return gpu.uuid;
  return gpu.index === null ? 'gpu?' : `gpu${gpu.index}`;
}
