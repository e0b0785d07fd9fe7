// One image through the scanner, as `berth scan` and the dashboard's background scans both
// do it: the cached result when the image id and the scanner's database are the same, else
// a scan (its result cached); then the ignore rules, counts, most severe first.
import { readCachedScan, writeCachedScan } from './cache.js';
import { applyIgnores, countBySeverity, sortVulns, type IgnoreRule, type SeverityCounts, type Vuln } from './report.js';
import { scanImage, type Scanner } from './scanner.js';

export interface OneScan {
  image: string;
  id: string;
  counts?: SeverityCounts;
  vulns?: Vuln[];
  ignored?: number;
  /** the result came from the cache */
  cached?: boolean;
  /** one line: why there is none ('cancelled' when the signal stopped it) */
  error?: string;
  /** the scanner has no usable database */
  noDb?: boolean;
}

export async function scanOne(
  scanner: Scanner,
  t: { image: string; id: string },
  rules: readonly IgnoreRule[],
  opts: { dockerHost: string; signal?: AbortSignal; onScanning?: () => void },
): Promise<OneScan> {
  const cached = readCachedScan(t.id, scanner);
  let vulns = cached?.vulns;
  if (!vulns) {
    opts.onScanning?.();
    // by its name when it has one (scanners look names up), else by its id
    const r = await scanImage(scanner, /^sha256:/.test(t.image) ? t.id : t.image, { dockerHost: opts.dockerHost, signal: opts.signal });
    if (r.error) return { image: t.image, id: t.id, error: r.error, noDb: r.noDb };
    vulns = r.vulns!;
    writeCachedScan(t.id, scanner, vulns);
  }
  const { kept, ignored } = applyIgnores(vulns, rules);
  return { image: t.image, id: t.id, counts: countBySeverity(kept), vulns: sortVulns(kept), ignored, cached: !!cached };
}
