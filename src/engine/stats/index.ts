// Container stats: CPU, memory, network and PIDs as `docker stats` shows them, read from
// cgroup files for a local engine or from the stats API for a remote one.
export { computeSample, cpuPercent } from './computeSample.js';
export { memUsageNoCache } from './memoryUsage.js';
export { SampleRing } from './sampleRing.js';
export { createCgroupReader, type CgroupReader, type CgroupReaderOptions, type ContainerRef } from './cgroupReader.js';
export { createApiReader, rawFromApiStats, type ApiReader, type ApiStatsJson } from './apiReader.js';
export {
  StatsSampler,
  sampleOnce,
  type StatsMode,
  type StatsSource,
  type StatsSamplerOptions,
  type StatsSamplerEvents,
} from './sampler.js';
