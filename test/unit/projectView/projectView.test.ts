// The project views' models: the folder a project's doctor and compose run in, the
// doctor's findings as lines (from a real run over the two-service fixture), the compose
// output and the down confirmation's volume lines.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ContainerInfo } from '../../../src/engine/types.js';
import { staticChecks } from '../../../src/ops/doctor/run.js';
import {
  composeEndMessage,
  composeLines,
  doctorLines,
  downVolumeLines,
  firstShown,
  projectFolder,
  WORKING_DIR_LABEL,
  type ComposeRunView,
} from '../../../src/dashboard/projectView.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/compose/two-service');

function c(name: string, labels: Record<string, string> = {}): ContainerInfo {
  return {
    id: `id-${name}`, name, image: 'x', state: 'running', status: '', health: null, restartCount: 0, startedAt: null, finishedAt: null,
    exitCode: null, oomKilled: false, pid: 0, labels, composeProject: 'p', composeService: null, created: 0, gpuRequested: false,
  };
}

describe('projectFolder', () => {
  it('prefers the configured path, then the compose working_dir label, else null', () => {
    expect(projectFolder({ path: '/src/shop', containers: [c('a', { [WORKING_DIR_LABEL]: '/elsewhere' })] })).toBe('/src/shop');
    expect(projectFolder({ path: null, containers: [c('a'), c('b', { [WORKING_DIR_LABEL]: '/src/ml' })] })).toBe('/src/ml');
    expect(projectFolder({ path: null, containers: [c('a')] })).toBeNull();
    expect(projectFolder({ path: null, containers: [] })).toBeNull();
  });
});

describe('doctorLines', () => {
  it('groups the findings by file with severity, id, file:line and fix, and ends with the summary', async () => {
    const st = await staticChecks({ dir: FIXTURE, name: 'two-service', env: {}, home: '/home/nobody' });
    const report = { ...st, containers: [] };
    const lines = doctorLines(report);
    const text = lines.map((l) => l.text);
    expect(lines[0]).toEqual({ text: 'compose.yaml', role: 'heading' });
    const pinned = lines.findIndex((l) => l.text.includes('[compose/image-pinned]'));
    expect(pinned).toBeGreaterThan(0);
    expect(lines[pinned]!.text).toMatch(/^ {2}(error|warning) +compose\.yaml:\d+:\d+ .*latest/);
    expect(lines[pinned]!.role).toMatch(/error|warning/);
    expect(lines[pinned + 1]!.text).toMatch(/^ +fix: \S/);
    expect(text[text.length - 1]).toMatch(/^\d+ errors?, \d+ warnings?, \d+ info \(checked 1 compose file, 0 Dockerfiles, 0 containers\)$/);
  });

  it('says so when there is nothing to report', () => {
    const lines = doctorLines({ project: 'x', dir: '/x', composeFile: null, dockerfiles: [], containers: [], findings: [] });
    expect(lines[0]).toEqual({ text: 'no findings', role: 'ok' });
  });
});

describe('compose output', () => {
  const run = (o: Partial<ComposeRunView>): ComposeRunView => ({ id: 1, project: 'shop', action: 'up', label: 'compose up', lines: [], running: true, exitCode: null, error: null, ...o });

  it('shows the lines, a running marker, then how it ended', () => {
    const lines = [{ stream: 'stderr' as const, line: ' Container shop-web-1  Started' }];
    expect(composeLines(run({ lines })).map((l) => l.text)).toEqual([' Container shop-web-1  Started', '… running']);
    expect(composeLines(run({ lines, running: false, exitCode: 0 })).at(-1)).toEqual({ text: 'compose up: done (exit 0)', role: 'ok' });
    const failed = run({ running: false, exitCode: 1, error: 'docker compose up failed (exit 1): no such image' });
    expect(composeLines(failed).at(-1)).toEqual({ text: failed.error, role: 'error' });
    expect(composeEndMessage(failed)).toEqual({ text: `shop: ${failed.error}`, kind: 'error' });
    expect(composeEndMessage(run({ running: false, exitCode: 0 }))).toEqual({ text: 'shop: compose up finished (exit 0)', kind: 'ok' });
  });

  it('follows the end, or keeps the scroll position in range', () => {
    expect(firstShown(100, 10, 0, true)).toBe(90);
    expect(firstShown(100, 10, 40, false)).toBe(40);
    expect(firstShown(100, 10, 400, false)).toBe(90);
    expect(firstShown(5, 10, 3, false)).toBe(0);
  });
});

describe('down confirmation', () => {
  const p = { kind: 'confirmDown' as const, project: 'shop', dir: '/src/shop', volumesError: null };
  it('names the volumes kept, or removed only when asked', () => {
    const volumes = [{ name: 'shop_data', kind: 'named' as const }, { name: 'a'.repeat(64), kind: 'anonymous' as const }];
    expect(downVolumeLines({ ...p, volumes: null, removeVolumes: false })).toEqual(['checking volumes…']);
    expect(downVolumeLines({ ...p, volumes, removeVolumes: false })).toEqual(['kept: shop_data, aaaaaaaaaaaa (anonymous)']);
    expect(downVolumeLines({ ...p, volumes, removeVolumes: true })).toEqual(['REMOVED with their data: shop_data, aaaaaaaaaaaa (anonymous)']);
    expect(downVolumeLines({ ...p, volumes: [], removeVolumes: false })).toEqual(['no volumes to keep or remove']);
  });
});
