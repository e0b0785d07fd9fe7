import React, { useMemo } from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import type { ColorName } from '../../config/theme.js';
import { humanDuration } from '../../engine/containerInfo.js';
import type { ContainerInfo } from '../../engine/types.js';
import { initialUi, selectedProject, visibleContainers, type AppStore, type ContainerStats } from '../../state/store.js';
import { bytes, fit, percent, rate, sparkline } from '../format.js';
import { useTheme } from '../theme.js';
import { layoutColumns, type Column } from './columns.js';
import { scrollOffset } from './scroll.js';

interface Cell {
  text: string;
  color?: ColorName;
}

function stateCell(c: ContainerInfo): Cell {
  if (c.state === 'running' && c.health === 'unhealthy') return { text: 'unhealthy', color: 'unhealthy' };
  if (c.state === 'running' && c.health === 'starting') return { text: 'starting', color: 'restarting' };
  if (c.state === 'running') return { text: c.health === 'healthy' ? 'healthy' : 'running', color: 'running' };
  if (c.state === 'exited') {
    const code = c.exitCode ?? 0;
    return { text: c.oomKilled ? 'OOM' : `exit ${code}`, color: code === 0 && !c.oomKilled ? 'exited' : 'error' };
  }
  return { text: c.state, color: c.state as ColorName };
}

function cpuColor(p: number): ColorName {
  return p >= 80 ? 'cpu_high' : p >= 30 ? 'cpu_mid' : 'cpu_low';
}

function cells(
  c: ContainerInfo,
  project: string,
  st: ContainerStats | undefined,
  gpuUse: { mib: number; unknown: boolean } | undefined,
  cols: Column[],
  now: number,
): Cell[] {
  const live = c.state === 'running' ? st?.latest : null;
  return cols.map((col): Cell => {
    switch (col.id) {
      case 'name':
        return { text: c.name };
      case 'project':
        return { text: project, color: 'accent' };
      case 'state':
        return stateCell(c);
      case 'restarts':
        return { text: String(c.restartCount), color: c.restartCount > 0 ? 'warning' : 'dim' };
      case 'uptime':
        return { text: c.startedAt ? humanDuration(now - c.startedAt) : '-', color: 'dim' };
      case 'cpu':
        return live ? { text: percent(live.cpuPct), color: cpuColor(live.cpuPct) } : { text: '-', color: 'dim' };
      case 'spark':
        return live && st ? { text: sparkline(st.cpu, col.width), color: 'accent' } : { text: '' };
      case 'mem':
        return live ? { text: `${bytes(live.memUsed)}/${bytes(live.memLimit)}` } : { text: '-', color: 'dim' };
      case 'net':
        return live ? { text: `${rate(live.rxRate)}/${rate(live.txRate)}` } : { text: '-', color: 'dim' };
      case 'gpu':
        if (gpuUse) return { text: `${gpuUse.unknown ? '≥' : ''}${bytes(gpuUse.mib * 1024 * 1024)}`, color: 'accent' };
        return c.gpuRequested ? { text: 'idle', color: 'dim' } : { text: '-', color: 'dim' };
      case 'image':
        return { text: c.image, color: 'dim' };
    }
  });
}

export function ContainerTable({ store, width, height }: { store: AppStore; width: number; height: number }) {
  const { c, theme } = useTheme();
  const projects = useStore(store, (s) => s.projects);
  const projectIndex = useStore(store, (s) => s.ui.projectIndex);
  const filterText = useStore(store, (s) => s.ui.filter);
  const rows = useMemo(
    () => visibleContainers({ projects, ui: { ...initialUi, projectIndex, filter: filterText } }),
    [projects, projectIndex, filterText],
  );
  const stats = useStore(store, (s) => s.stats);
  const gpu = useStore(store, (s) => s.gpu);
  const sel = useStore(store, (s) => s.ui.containerIndex);
  const focused = useStore(store, (s) => s.ui.focus === 'containers');
  const project = useStore(store, (s) => selectedProject(s)?.name ?? 'all projects');
  const filter = useStore(store, (s) => s.ui.filter);
  const inner = Math.max(1, width - 2);
  const all = useStore(store, (s) => selectedProject(s) === null);
  const anyGpuRequest = useStore(store, (s) => s.containers.some((x) => x.gpuRequested));
  const cols = layoutColumns(inner, { gpu: (gpu?.gpus.length ?? 0) > 0 || anyGpuRequest, project: all });
  const bodyRows = Math.max(1, height - 3);
  const offset = scrollOffset(sel, rows.length, bodyRows);
  const shown = rows.slice(offset, offset + bodyRows);
  const now = Date.now();
  const title = ` ${project}${filter ? ` /${filter}` : ''} (${rows.length}) `;
  const head = cols.map((col) => fit(col.title, col.width, col.align)).join(' ');
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={focused ? c('border_focus') : c('border')}>
      <Text wrap="truncate" bold>
        <Text color={c('accent')}>{fit(title, Math.min(title.length, inner))}</Text>
      </Text>
      <Text wrap="truncate" bold color={c('dim')}>
        {fit(head, inner)}
      </Text>
      {shown.length === 0 ? (
        <Text color={c('dim')} wrap="truncate">
          {filter ? '  no container matches the filter' : '  no containers'}
        </Text>
      ) : (
        shown.map((row, i) => {
          const idx = offset + i;
          const parts = cells(row.container, row.project, stats[row.container.id], gpu?.byContainer[row.container.id], cols, now);
          const texts = parts.map((p, k) => fit(p.text, cols[k]!.width, cols[k]!.align));
          if (idx === sel) {
            return (
              <Text
                key={row.container.id}
                wrap="truncate"
                inverse={theme.monochrome || !focused}
                color={focused ? c('selected_fg') : undefined}
                backgroundColor={focused ? c('selected_bg') : undefined}
              >
                {fit(texts.join(' '), inner)}
              </Text>
            );
          }
          return (
            <Text key={row.container.id} wrap="truncate">
              {parts.map((p, k) => (
                <Text key={cols[k]!.id} color={p.color ? c(p.color) : undefined}>
                  {(k ? ' ' : '') + texts[k]}
                </Text>
              ))}
            </Text>
          );
        })
      )}
    </Box>
  );
}
