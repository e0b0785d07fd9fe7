// Reading Trivy's and Grype's JSON reports (real ones: test/fixtures/scan/README.md), the
// .trivyignore rules, and the stand-in scanner through the same code a real one goes through.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyIgnores, atLeast, countBySeverity, parseGrype, parseIgnoreFile, parseSeverity, parseTrivy, shortCounts, sortVulns } from '../../../src/ops/scan/report.js';
import { findScanner, scanImage } from '../../../src/ops/scan/scanner.js';
import { writeStandinTrivy } from '../../helpers/standinScanner.js';

const fixture = (f: string) => fs.readFileSync(path.resolve(import.meta.dirname, '../../fixtures/scan', f), 'utf8');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-scan-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('reports', () => {
  it("reads Trivy's report: id, severity, package, installed and fixed versions, title, link", () => {
    const v = sortVulns(parseTrivy(fixture('trivy-debian-buster.json')));
    expect(v).toEqual([
      { id: 'CVE-2019-18224', severity: 'CRITICAL', pkg: 'libidn2-0', installed: '2.0.5-1', fixed: '2.0.5-1+deb10u1', title: 'libidn2: heap-based buffer overflow in idn2_to_ascii_4i in lib/lookup.c', url: 'https://avd.aquasec.com/nvd/cve-2019-18224' },
      { id: 'CVE-2019-18276', severity: 'LOW', pkg: 'bash', installed: '5.0-4', fixed: null, title: 'bash: when effective UID is not equal to its real UID the saved UID is not dropped', url: 'https://avd.aquasec.com/nvd/cve-2019-18276' },
    ]);
    expect(countBySeverity(v)).toEqual({ CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 1, UNKNOWN: 0 });
    expect(shortCounts(countBySeverity(v))).toBe('C1 H0');
    expect(parseTrivy('{"SchemaVersion":2,"Results":[{"Target":"x"}]}')).toEqual([]);
    expect(() => parseTrivy('not json')).toThrow('Trivy printed no JSON report');
  });

  it("reads Grype's report the same way", () => {
    const v = sortVulns(parseGrype(fixture('grype-image.json')));
    expect(v.map((x) => [x.severity, x.id, x.pkg, x.installed, x.fixed])).toEqual([
      ['CRITICAL', 'CVE-1999-0002', 'package-2', '2.2.2', null],
      ['LOW', 'CVE-1999-0001', 'package-1', '1.1.1', '1.2.1, 2.1.3, 3.4.0'],
    ]);
    expect(() => parseGrype('{"no":"matches"}')).toThrow('Grype printed no JSON report');
  });

  it('.trivyignore: ids, comments, expiry dates', () => {
    const rules = parseIgnoreFile('# accepted until the base image moves\nCVE-2019-18224 exp:2026-12-31\nCVE-2019-18276 exp:2020-01-01  # expired\n\n');
    expect(rules.map((r) => [r.id, r.line])).toEqual([
      ['CVE-2019-18224', 2],
      ['CVE-2019-18276', 3],
    ]);
    const v = parseTrivy(fixture('trivy-debian-buster.json'));
    const r = applyIgnores(v, rules, Date.parse('2026-12-08T00:00:00Z'));
    expect(r.kept.map((x) => x.id)).toEqual(['CVE-2019-18276']);
    expect(r.ignored).toBe(1);
    expect(applyIgnores(v, rules, Date.parse('2027-01-02T00:00:00Z')).ignored).toBe(0);
  });

  it('severity thresholds', () => {
    expect(atLeast('CRITICAL', 'HIGH')).toBe(true);
    expect(atLeast('MEDIUM', 'HIGH')).toBe(false);
    expect(parseSeverity('high')).toBe('HIGH');
    expect(() => parseSeverity('urgent')).toThrow('--severity urgent: use one of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN');
  });
});

describe('the scanner on PATH', () => {
  it('none: null (the caller says how to get one)', async () => {
    expect(await findScanner(path.join(tmp, 'nothing-here'))).toBeNull();
  });

  it('Trivy with its database: a report; without one: one line saying so', async () => {
    const ok = writeStandinTrivy(path.join(tmp, 'ok'), { vulnerable: 'vulnerable' });
    const s = await findScanner(path.dirname(ok.bin) + path.delimiter + process.env.PATH);
    expect(s).toMatchObject({ kind: 'trivy', version: '0.56.2', db: 'v2 2026-12-08T06:00:00Z', dbProblem: null });
    expect((await scanImage(s!, 'shop/vulnerable:1')).vulns?.map((v) => v.id).sort()).toEqual(['CVE-2019-18224', 'CVE-2019-18276']);
    expect(await scanImage(s!, 'clean:1')).toEqual({ vulns: [] });
    expect(fs.readFileSync(ok.calls, 'utf8').trim().split('\n')).toEqual(['shop/vulnerable:1', 'clean:1']);

    const nodb = writeStandinTrivy(path.join(tmp, 'nodb'), { vulnerable: 'vulnerable', db: false });
    const s2 = await findScanner(path.dirname(nodb.bin) + path.delimiter + process.env.PATH);
    expect(s2!.db).toBeNull();
    expect(s2!.dbProblem).toMatch(/^Trivy has no vulnerability database yet/);
    const r = await scanImage(s2!, 'shop/vulnerable:1');
    expect(r.error).toMatch(/^Trivy has no usable vulnerability database \(no network\?\): .*failed to download vulnerability DB/);
    expect(r.error!.includes('\n')).toBe(false);
  });
});

describe('Grype, when Trivy is not installed', () => {
  it('is found with its database, and its report read through the same code', async () => {
    const dir = path.join(tmp, 'grype');
    fs.mkdirSync(dir, { recursive: true });
    const report = path.resolve(import.meta.dirname, '../../fixtures/scan/grype-image.json');
    // answers as grype 0.8x does: version -o json, db status -o json, <source> -o json
    fs.writeFileSync(
      path.join(dir, 'grype'),
      `#!/bin/sh
case "$1" in
  version) echo '{"application":"grype","version":"0.84.0"}' ;;
  db) echo '{"schemaVersion":"v5","built":"2026-12-08T02:00:00Z","location":"/root/.cache/grype/db/5","checksum":"sha256:0","valid":true}' ;;
  *) [ "$GRYPE_DB_AUTO_UPDATE" = false ] || { echo "would update its database" >&2; exit 1; }; cat '${report}' ;;
esac
`,
      { mode: 0o755 },
    );
    const s = await findScanner(`${dir}${path.delimiter}${path.join(tmp, 'no-trivy')}`);
    expect(s).toMatchObject({ kind: 'grype', version: '0.84.0', db: 'v5 2026-12-08T02:00:00Z', dbProblem: null });
    const r = await scanImage(s!, 'shop/app:1');
    expect(sortVulns(r.vulns!).map((v) => `${v.severity} ${v.id} ${v.pkg}`)).toEqual(['CRITICAL CVE-1999-0002 package-2', 'LOW CVE-1999-0001 package-1']);
  });
});
