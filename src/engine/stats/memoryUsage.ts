/**
 * Memory "used" as the docker CLI shows it (calculateMemUsageUnixNoCache in docker/cli):
 * usage minus `total_inactive_file` on cgroup v1 (when present and smaller than usage),
 * otherwise usage minus `inactive_file` (cgroup v2; 0 when absent) when smaller, otherwise
 * usage as it is. `stats` holds the memory.stat keys (the API's memory_stats.stats).
 */
export function memUsageNoCache(usage: number, stats: Readonly<Record<string, number>>): number {
  const totalInactiveFile = stats['total_inactive_file'];
  if (totalInactiveFile !== undefined && totalInactiveFile < usage) return usage - totalInactiveFile;
  const inactiveFile = stats['inactive_file'] ?? 0;
  if (inactiveFile < usage) return usage - inactiveFile;
  return usage;
}

/**
 * The daemon reports host memory as the limit when the container's limit is larger than
 * the machine ("unlimited" is a huge number on v1 and "max" on v2).
 */
export function capMemLimit(limit: number, hostMemTotal: number): number {
  if (!Number.isFinite(limit)) return hostMemTotal;
  if (hostMemTotal > 0 && limit > hostMemTotal) return hostMemTotal;
  return limit;
}
