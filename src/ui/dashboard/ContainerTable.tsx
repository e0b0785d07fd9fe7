import React, { useCallback, useMemo } from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import type { ColorName, Theme } from '../../config/theme.js';
import { humanDuration } from '../../engine/containerInfo.js';
import type { ContainerInfo } from '../../engine/types.js';
import type { Diagnosis } from '../../dashboard/store.js';
import { diagnosisOf, initialUi, selectedContainer, selectedProject, visibleContainers, type AppState, type AppStore, type ContainerStats } from '../../dashboard/store.js';
import { fitBadge } from '../../panes/plan.js';
import { useOverlay, useWriter } from '../overlay.js';
import type { Cell as ScreenCell } from '../../term/cells.js';
import { paintTable, type PaintedRow } from './tablePainter.js';
import { bytes, fit, percent, rate, sparkline } from '../../lib/format.js';
import { useTheme } from '../theme.js';
import { layoutColumns, type Column } from './columns.js';
import { vulnCell } from '../../dashboard/vulnLines.js';
import type { ImageVulns } from '../../dashboard/vulnScans.js';
import { scrollOffset } from './scroll.js';

interface Cell {
  text: string;
  color?: ColorName;
}

function stateCell(c: ContainerInfo, diag: Diagnosis | null): Cell {
  // A container that needs a look gets a "!" and the diagnosis' marker (the detail view explains).
  if (diag && diag.severity !== 'info' && diag.marker) {
    const text = /^\d+$/.test(diag.marker) ? `!exit ${diag.marker}` : `!${diag.marker}`;
    return { text, color: diag.severity === 'error' ? 'error' : 'warning' };
  }
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
  diag: Diagnosis | null,
  badge?: string,
  vuln?: ImageVulns,
): Cell[] {
  const live = c.state === 'running' ? st?.latest : null;
  return cols.map((col): Cell => {
    switch (col.id) {
      case 'name':
        // agent panes of the dashboard's workspaces in this container, e.g. "[2 working 1 done]"
        const fitted = badge ? fitBadge(badge, Math.max(0, col.width - c.name.length - 3)) : '';
        return fitted ? { text: `${c.name} [${fitted}]`, color: 'accent' } : { text: c.name };
      case 'project':
        return { text: project, color: 'accent' };
      case 'state':
        return stateCell(c, diag);
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
      case 'vuln':
        return vulnColored(vuln);
      case 'image':
        return { text: c.image, color: 'dim' };
    }
  });
}

/** The VULN cell, coloured by the worst finding (k9s's vulnerability column). */
function vulnColored(v: ImageVulns | undefined): Cell {
  const { text, level } = vulnCell(v);
  const color: ColorName = level === 'critical' ? 'error' : level === 'high' || level === 'failed' ? 'warning' : level === 'clean' ? 'healthy' : 'dim';
  return { text, color };
}

/** Everything the table shows, from the store's state, for the rows in view. */
function tableModel(s: AppState, inner: number) {
  const rows = visibleContainers(s);
  const all = selectedProject(s) === null;
  const anyGpuRequest = s.containers.some((x) => x.gpuRequested);
  const cols = layoutColumns(inner, { gpu: (s.gpu?.gpus.length ?? 0) > 0 || anyGpuRequest, project: all, vuln: s.vulns.scanner !== null });
  return { rows, cols };
}

/**
 * The containers of the selected project (or all). Title, column heads and border go
 * through Ink; with a screen writer the rows are painted straight into it, so a stats tick
 * costs no Ink render. Without one (component tests) the rows go through Ink too.
 */
export function ContainerTable({ store, width, height, x = 0, y = 0 }: { store: AppStore; width: number; height: number; x?: number; y?: number }) {
  const { c, theme } = useTheme();
  const writer = useWriter();
  const inner = Math.max(1, width - 2);
  const bodyRows = Math.max(1, height - 4);
  // Structure only: figures are read at paint time.
  const projects = useStore(store, (s) => s.projects);
  const projectIndex = useStore(store, (s) => s.ui.projectIndex);
  const filter = useStore(store, (s) => s.ui.filter);
  const focused = useStore(store, (s) => s.ui.focus === 'containers');
  const gpuColumn = useStore(store, (s) => (s.gpu?.gpus.length ?? 0) > 0 || s.containers.some((x) => x.gpuRequested));
  const count = useMemo(() => visibleContainers({ projects, ui: { ...initialUi, projectIndex, filter } }).length, [projects, projectIndex, filter]);
  const project = useStore(store, (s) => selectedProject(s)?.name ?? 'all projects');
  const all = project === 'all projects';
  const vulnColumn = useStore(store, (s) => s.vulns.scanner !== null);
  const cols = layoutColumns(inner, { gpu: gpuColumn, project: all, vuln: vulnColumn });
  // the selected row's name or image cut by its column (or its column left out for want of
  // room): the title line shows them whole
  const nameCol = cols.find((x) => x.id === 'name');
  const imageCol = cols.find((x) => x.id === 'image');
  const cut = useStore(store, (s) => {
    const sel = selectedContainer(s)?.container;
    if (!sel) return '';
    const nameCut = !nameCol || sel.name.length > nameCol.width;
    const imageCut = !imageCol || sel.image.length > imageCol.width;
    return nameCut || imageCut ? `${sel.name}\0${sel.image}` : '';
  });
  const base = ` ${project}${filter ? ` /${filter}` : ''} (${count}) `;
  const [cutName = '', cutImage = ''] = cut ? cut.split('\0') : [];
  // the most that fits: the project and count, then the name, then the image
  const choices = [`${base}▸ ${cutName}  ${cutImage} `, `${base}▸ ${cutName} `, ` ▸ ${cutName}  ${cutImage} `, ` ▸ ${cutName} `];
  const title = !cut ? base : (choices.find((x) => x.length <= inner) ?? choices[3]!);
  const head = cols.map((col) => fit(col.title, col.width, col.align)).join(' ');

  /** The rows in view and the columns they use, from one pass over the store's state. */
  const paint = (): { rows: PaintedRow[]; cols: Column[] } => {
    const s = store.getState();
    const model = tableModel(s, inner);
    const sel = s.ui.containerIndex;
    const offset = scrollOffset(sel, model.rows.length, bodyRows);
    const now = Date.now();
    const rows = model.rows.slice(offset, offset + bodyRows).map((row, i) => ({
      key: row.container.id,
      selected: offset + i === sel,
      parts: cells(row.container, row.project, s.stats[row.container.id], s.gpu?.byContainer[row.container.id], model.cols, now, diagnosisOf(s, row.container, now), s.paneBadges[row.container.name], row.container.imageId ? s.vulns.byImage[row.container.imageId] : undefined),
    }));
    return { rows, cols: model.cols };
  };
  const empty = filter ? 'no container matches the filter' : 'no containers';
  const subscribe = useCallback((fn: () => void) => store.subscribe(fn), [store]);
  // rows painted last time, by what they show (tablePainter.ts); a new theme paints anew
  const cache = useMemo(() => new Map<string, ScreenCell[]>(), [theme]);
  useOverlay(
    writer,
    x + 1,
    y + 3,
    () => paintTable({ ...paint(), width: inner, height: bodyRows, focused: store.getState().ui.focus === 'containers', theme, empty, cache }),
    subscribe,
  );

  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={focused ? c('border_focus') : c('border')}>
      <Text wrap="truncate" bold>
        <Text color={c('accent')}>{fit(title, Math.min(title.length, inner))}</Text>
      </Text>
      <Text wrap="truncate" bold color={c('dim')}>
        {fit(head, inner)}
      </Text>
      {writer ? null : <InkRows store={store} inner={inner} bodyRows={bodyRows} cols={cols} empty={empty} focused={focused} paint={paint} theme={theme} />}
    </Box>
  );
}

/** The rows through Ink, for renders without a screen writer. */
function InkRows({ store, inner, cols, empty, focused, paint, theme }: { store: AppStore; inner: number; bodyRows: number; cols: Column[]; empty: string; focused: boolean; paint: () => { rows: PaintedRow[] }; theme: Theme }) {
  const { c } = useTheme();
  useStore(store, (s) => s.stats);
  useStore(store, (s) => s.gpu);
  useStore(store, (s) => s.ui.containerIndex);
  useStore(store, (s) => s.restartHistory);
  useStore(store, (s) => s.paneBadges);
  useStore(store, (s) => s.vulns);
  useStore(store, (s) => s.projects);
  const { rows } = paint();
  if (!rows.length) {
    return (
      <Text color={c('dim')} wrap="truncate">
        {`  ${empty}`}
      </Text>
    );
  }
  return (
    <>
      {rows.map((row) => {
        const texts = row.parts.map((p, k) => fit(p.text, cols[k]!.width, cols[k]!.align));
        if (row.selected) {
          return (
            <Text
              key={row.key}
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
          <Text key={row.key} wrap="truncate">
            {row.parts.map((p, k) => (
              <Text key={cols[k]!.id} color={p.color ? c(p.color) : undefined}>
                {(k ? ' ' : '') + texts[k]}
              </Text>
            ))}
          </Text>
        );
      })}
    </>
  );
}
