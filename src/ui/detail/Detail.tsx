import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { diagnosisOf, DETAIL_TABS, type AppStore, type DetailTab } from '../../dashboard/store.js';
import { fit } from '../../lib/format.js';
import { useTheme } from '../theme.js';
import { envLines, inspectLines, type TextLine } from './inspectLines.js';
import { vulnTabLines } from '../../dashboard/vulnLines.js';
import { wrapTextLines } from '../../lib/textLine.js';
import { LogView } from './LogView.js';
import { StatsTab } from './StatsTab.js';
import { TextTab } from './TextTab.js';

/** The detail view of one container (tabs) or of a project (merged logs). */
export function Detail({ store, width, height, x = 0, y = 0 }: { store: AppStore; width: number; height: number; x?: number; y?: number }) {
  const { c } = useTheme();
  const detail = useStore(store, (s) => s.ui.detail);
  const tab = useStore(store, (s) => s.ui.tab);
  const scroll = useStore(store, (s) => s.ui.tabScroll);
  const reveal = useStore(store, (s) => s.ui.revealEnv);
  const data = useStore(store, (s) => s.detailData);
  const container = useStore(store, (s) => (detail?.kind === 'container' ? s.containers.find((x) => x.id === detail.id) : undefined));
  const history = useStore(store, (s) => s.restartHistory);
  const vulns = useStore(store, (s) => s.vulns);
  if (!detail) return null;
  const inner = Math.max(1, width - 2);
  const diag = container ? diagnosisOf({ restartHistory: history }, container) : null;
  const tabs: DetailTab[] = detail.kind === 'project' ? ['logs'] : DETAIL_TABS;
  const title = detail.kind === 'project' ? `project ${detail.name} (${detail.containers.length})` : detail.name;
  const state = detail.kind === 'container' ? (container ? container.state : 'removed') : '';
  const diagLines = diag ? [`${diag.summary}`, ...diag.details.slice(0, 2)] : [];
  const contentH = Math.max(1, height - 3 - diagLines.length);
  let content: React.ReactNode;
  if (tab === 'logs') content = <LogView store={store} x={x + 1} y={y + 2 + diagLines.length} width={inner} height={contentH} />;
  else if (tab === 'stats' && detail.kind === 'container') content = <StatsTab store={store} id={detail.id} width={inner} height={contentH} />;
  else {
    let lines: TextLine[];
    if (tab === 'vulns') {
      // wrapped, not cut: titles and links are long (TextTab adds one space of margin)
      lines = wrapTextLines(container ? vulnTabLines(vulns, container.image, container.imageId) : [{ text: 'the container is gone', role: 'dim' }], inner - 1);
    } else if (tab === 'top') {
      if (data?.topError) lines = [{ text: data.topError, role: 'error' }];
      else if (!data?.top) lines = [{ text: 'loading…', role: 'dim' }];
      else {
        const t = data.top;
        const widths = t.titles.map((h, k) => Math.min(20, Math.max(h.length, ...t.processes.map((p) => (p[k] ?? '').length))));
        const row = (cells: string[]) => cells.map((x, k) => (k === cells.length - 1 ? x : fit(x, widths[k]!))).join(' ');
        lines = [{ text: row(t.titles), role: 'heading' }, ...t.processes.map((p) => ({ text: row(p) }))];
        if (!t.processes.length) lines.push({ text: 'no processes (not running)', role: 'dim' });
      }
    } else if (data?.inspectError) lines = [{ text: data.inspectError, role: 'error' }];
    else if (!data?.inspect) lines = [{ text: 'loading…', role: 'dim' }];
    else if (tab === 'env') {
      const env = (data.inspect as { Config?: { Env?: string[] } }).Config?.Env;
      lines = [{ text: reveal ? 'secret values shown (v masks them)' : 'secrets masked: names like *PASSWORD*, *_PASS, *TOKEN*, *KEY*, *AUTH*, and values like user:password URLs or tokens (v reveals)', role: 'dim' }, ...envLines(env, reveal)];
    } else lines = inspectLines(data.inspect, reveal);
    content = <TextTab lines={lines} scroll={scroll} width={inner} height={contentH} />;
  }
  const sevColor = diag?.severity === 'error' ? c('error') : diag?.severity === 'warning' ? c('warning') : c('dim');
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={c('border_focus')}>
      <Text wrap="truncate">
        <Text bold color={c('accent')}>{` ${title}`}</Text>
        <Text color={c('dim')}>{state ? ` ${state} ` : ' '}</Text>
        {tabs.map((t, i) => (
          <Text key={t} inverse={t === tab} bold={t === tab} color={t === tab ? undefined : c('dim')}>
            {` ${detail.kind === 'project' ? '' : `${i + 1} `}${t} `}
          </Text>
        ))}
      </Text>
      {diagLines.map((l, i) => (
        <Text key={i} wrap="truncate" color={sevColor} bold={i === 0}>
          {fit(` ${i === 0 ? '! ' : '  '}${l}`, inner)}
        </Text>
      ))}
      {content}
    </Box>
  );
}
