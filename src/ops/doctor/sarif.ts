// The doctor's findings as SARIF 2.1.0 (the static-analysis format editors and CI read: GitHub
// code scanning, VS Code's SARIF viewer): one run, the rules with their titles, one result per
// finding with its level, message and fix, and where it is: a file region relative to the
// project folder, or the container as a logical location.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DoctorReport } from './run.js';
import type { Severity } from './types.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export function reportSarif(report: DoctorReport, rules: Array<{ id: string; title: string }>): string {
  const used = [...new Set(report.findings.map((f) => f.id))];
  const titles = new Map(rules.map((r) => [r.id, r.title]));
  const index = new Map(used.map((id, i) => [id, i]));
  const base = pathToFileURL(report.dir.endsWith(path.sep) ? report.dir : `${report.dir}${path.sep}`).href;
  const results = report.findings.map((f) => {
    const result: Record<string, unknown> = {
      ruleId: f.id,
      ruleIndex: index.get(f.id),
      level: LEVEL[f.severity],
      message: { text: f.fix ? `${f.message}. Fix: ${f.fix}` : f.message },
      // the same check's id in hadolint or ShellCheck
      ...(f.ref ? { properties: { ref: f.ref } } : {}),
    };
    const w = f.where;
    if (w && 'file' in w) {
      const abs = path.resolve(report.dir, w.file);
      const inside = !path.relative(report.dir, abs).startsWith('..');
      const uri = inside ? path.relative(report.dir, abs).split(path.sep).join('/') : pathToFileURL(abs).href;
      result.locations = [
        {
          physicalLocation: {
            artifactLocation: inside ? { uri, uriBaseId: 'PROJECTROOT' } : { uri },
            region: { startLine: Math.max(1, w.line), ...(w.column ? { startColumn: w.column } : {}) },
          },
        },
      ];
    } else if (w && 'container' in w) {
      result.locations = [{ logicalLocations: [{ name: w.container, kind: 'resource' }] }];
    }
    return result;
  });
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'berth doctor',
            rules: used.map((id) => ({ id, shortDescription: { text: titles.get(id) ?? id } })),
          },
        },
        originalUriBaseIds: { PROJECTROOT: { uri: base } },
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
