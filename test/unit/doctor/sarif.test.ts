// The doctor's findings as SARIF 2.1.0: a real static run over a fixture project.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../../../src/ops/doctor/index.js';
import { staticChecks } from '../../../src/ops/doctor/run.js';
import { reportSarif } from '../../../src/ops/doctor/sarif.js';

describe('berth doctor --sarif', () => {
  it('one run with the rules used, a result per finding with its level, message, fix and file region', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-sarif-'));
    fs.writeFileSync(path.join(dir, 'compose.yaml'), 'services:\n  app:\n    image: nginx:latest\n    environment:\n      API_TOKEN: hunter2hunter2\n');
    const report = await staticChecks({ dir, name: 'shop', home: dir });
    expect(report.findings.length).toBeGreaterThan(1);
    const sarif = JSON.parse(reportSarif({ ...report, containers: [] }, allRules()));
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('berth doctor');
    expect(run.results).toHaveLength(report.findings.length);
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [i, f] of report.findings.entries()) {
      const r = run.results[i];
      expect(r.ruleId).toBe(f.id);
      expect(ids[r.ruleIndex]).toBe(f.id);
      expect(r.level).toBe({ error: 'error', warning: 'warning', info: 'note' }[f.severity]);
      expect(r.message.text).toContain(f.message);
      if (f.where && 'file' in f.where) {
        expect(r.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'compose.yaml', uriBaseId: 'PROJECTROOT' });
        expect(r.locations[0].physicalLocation.region.startLine).toBe(f.where.line);
      }
    }
    // the rule titles come from the rule table
    const latest = run.tool.driver.rules.find((r: { id: string }) => r.id === report.findings.find((f) => /latest|pinned/.test(f.id))?.id);
    expect(latest?.shortDescription.text).toBe(allRules().find((r) => r.id === latest?.id)?.title);
    expect(run.originalUriBaseIds.PROJECTROOT.uri).toBe(`file://${dir}/`);
  });
});
