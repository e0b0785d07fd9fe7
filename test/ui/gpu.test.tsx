import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import React from 'react';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { loadTheme } from '../../src/config/theme.js';
import type { ContainerInfo } from '../../src/engine/types.js';
import { handleDashboardKey } from '../../src/input/dashboardKeys.js';
import { parseNvidiaComputeApps, parseNvidiaQueryGpu, type GpuSnapshot } from '../../src/ops/gpu/index.js';
import { summarizeGpu } from '../../src/dashboard/gpuSummary.js';
import { createAppStore } from '../../src/dashboard/store.js';
import { Dashboard } from '../../src/ui/dashboard/Dashboard.js';
import { ThemeProvider } from '../../src/ui/theme.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'unit', 'gpu', 'fixtures', 'nvidia');
// eslint-disable-next-line no-control-regex
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
const tick = () => new Promise((r) => setTimeout(r, 30));

function c(name: string, extra: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id: `${name}-id`.padEnd(64, '0'), name, image: 'img', state: 'running', status: '', health: null, restartCount: 0,
    startedAt: null, finishedAt: null, exitCode: null, oomKilled: false, pid: 1, labels: {}, composeProject: 'ml',
    composeService: null, created: 0, gpuRequested: false, ...extra,
  };
}

describe('GPU in the dashboard', () => {
  it('shows the header figure, a GPU column (with idle GPU requesters) and the GPU panel on u', async () => {
    const q = parseNvidiaQueryGpu(fs.readFileSync(path.join(fixtures, 'dual-a5000.query-gpu.txt'), 'utf8'));
    const apps = parseNvidiaComputeApps(fs.readFileSync(path.join(fixtures, 'dual-a5000.compute-apps.txt'), 'utf8'), q.gpus);
    const trainer = c('trainer');
    const idle = c('idle-gpu', { gpuRequested: true });
    const first = apps.processes[0]!;
    const snap: GpuSnapshot = {
      available: true,
      tool: 'nvidia-smi',
      gpus: q.gpus,
      processes: apps.processes,
      byContainer: new Map([[trainer.id, { memUsedMiB: first.usedMemMiB ?? 0, memUnknown: false, gpus: [], gpuIndexes: [], pids: [first.pid] }]]),
      warnings: [],
      sampledAt: Date.now(),
    };
    const store = createAppStore();
    store.getState().setContainers([trainer, idle, c('cpu-only')]);
    store.getState().setGpu(summarizeGpu(snap));
    const ui = render(
      <ThemeProvider theme={loadTheme('default', {})}>
        <Dashboard store={store} cols={160} rows={30} />
      </ThemeProvider>,
    );
    let text = strip(ui.lastFrame() ?? '');
    expect(text.split('\n')[0]).toMatch(/GPU×2 \d+% [\d.]+\/[\d.]+G/);
    expect(text).toContain('GPU');
    expect(text).toMatch(/trainer .*\d(\.\d)?[MG]/);
    expect(text).toMatch(/idle-gpu .*idle/);
    handleDashboardKey({ store, quit: () => {}, pageSize: () => 5 }, 'u', 'u');
    await tick();
    text = strip(ui.lastFrame() ?? '');
    expect(text).toContain('GPUs');
    expect(text).toContain(q.gpus[0]!.name!.slice(0, 15));
    expect(text).toMatch(new RegExp(`${first.pid}\\s.*trainer`));
    ui.unmount();
  });

  it('without a GPU tool, u says so and no GPU column appears', async () => {
    const store = createAppStore();
    store.getState().setContainers([c('plain')]);
    const ui = render(
      <ThemeProvider theme={loadTheme('default', {})}>
        <Dashboard store={store} cols={200} rows={20} />
      </ThemeProvider>,
    );
    expect(strip(ui.lastFrame() ?? '')).not.toMatch(/\bGPU\b/);
    handleDashboardKey({ store, quit: () => {}, pageSize: () => 5 }, 'u', 'u');
    await tick();
    expect(strip(ui.lastFrame() ?? '')).toContain('no GPU tool found');
    ui.unmount();
  });
});
