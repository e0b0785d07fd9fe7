// GPU figures: per GPU and per container. Backend only; the dashboard reads GpuSnapshot.
export type { ContainerGpuUse, GpuInfo, GpuProcess, GpuSnapshot, GpuTool } from './types.js';
export { gpuKey } from './types.js';
export {
  NVIDIA_APP_FIELDS,
  NVIDIA_GPU_FIELDS,
  NVIDIA_QUERY_APPS_ARGS,
  NVIDIA_QUERY_GPU_ARGS,
  parentGpuOf,
  parseLostGpuLine,
  parseNvidiaComputeApps,
  parseNvidiaList,
  parseNvidiaQueryGpu,
  type NvidiaListedGpu,
} from './nvidia.js';
export { ROCM_ARGS, parseRocmSmiJson } from './rocm.js';
export {
  containerIdForPid,
  containerIdFromCgroup,
  containerIdsFromCgroup,
  gpuUseByContainer,
  type PidLookupOptions,
} from './cgroup.js';
export {
  containerRequestsGpu,
  gpuRequestOf,
  type GpuInspectLike,
  type GpuRequest,
  type GpuRequestKind,
} from './request.js';
export { checkGpuRequest, type GpuEngineFacts } from './doctor.js';
export { GpuSampler, type GpuSamplerOptions } from './sampler.js';
export { execaRunner, findOnPath, type RunResult, type Runner } from './run.js';
