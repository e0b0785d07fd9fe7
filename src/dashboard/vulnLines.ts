// The vulns tab of a container: its image's findings from the server's scanner, most severe
// first, each with package, installed and fixed versions, title and link. Pure.
import type { TextLine } from '../lib/textLine.js';
import { shortCounts } from '../ops/scan/report.js';
import type { ImageVulns, VulnView } from './vulnScans.js';

/** The VULN cell: "C1 H3" (critical, high), ✓ with neither, · queued, … scanning, ! failed, - not scanned. */
export function vulnCell(v: ImageVulns | undefined): { text: string; level: 'critical' | 'high' | 'clean' | 'dim' | 'failed' } {
  if (!v) return { text: '-', level: 'dim' };
  if (v.state === 'queued') return { text: '·', level: 'dim' };
  if (v.state === 'scanning') return { text: '…', level: 'dim' };
  if (v.state === 'error' || !v.counts) return { text: '!', level: 'failed' };
  return { text: shortCounts(v.counts), level: v.counts.CRITICAL ? 'critical' : v.counts.HIGH ? 'high' : 'clean' };
}

export function vulnTabLines(view: VulnView, image: string, imageId: string | undefined): TextLine[] {
  if (!view.scanner) return [{ text: view.problem ?? 'scans start when a dashboard is shown…', role: 'dim' }];
  const by = `${view.scanner.kind} ${view.scanner.version}${view.scanner.db ? `, database ${view.scanner.db}` : ''}`;
  const v = imageId ? view.byImage[imageId] : undefined;
  if (!v || v.state === 'queued') return [{ text: `${image}: waiting for its turn (${by}; one image at a time, at low priority)`, role: 'dim' }];
  if (v.state === 'scanning') return [{ text: `${image}: scanning with ${by}…`, role: 'dim' }];
  if (v.state === 'error') return [{ text: `${image}: ${v.error ?? 'the scan failed'}`, role: 'error' }];
  const c = v.counts!;
  const ignored = v.ignored ? ` (${v.ignored} ignored by ${v.ignoreFile ?? '.trivyignore'})` : '';
  const lines: TextLine[] = [
    { text: `${image} (${(imageId ?? '').replace(/^sha256:/, '').slice(0, 12)}), ${by}: ${c.CRITICAL} critical, ${c.HIGH} high, ${c.MEDIUM} medium, ${c.LOW} low${c.UNKNOWN ? `, ${c.UNKNOWN} unknown` : ''}${ignored}`, role: 'heading' },
  ];
  if (!v.vulns?.length) lines.push({ text: 'no known vulnerabilities', role: 'ok' });
  for (const x of v.vulns ?? []) {
    const role = x.severity === 'CRITICAL' ? 'error' : x.severity === 'HIGH' ? 'warning' : undefined;
    lines.push({ text: `${x.severity.padEnd(8)} ${x.id}  ${x.pkg} ${x.installed}${x.fixed ? ` → fixed in ${x.fixed}` : ' (no fix yet)'}`, ...(role ? { role } : {}) });
    lines.push({ text: `         ${x.title}${x.url ? `  ${x.url}` : ''}`, role: 'dim' });
  }
  return lines;
}
