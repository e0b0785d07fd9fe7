import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import type { AppStore } from '../../dashboard/store.js';
import { fit } from '../../lib/format.js';
import { useTheme } from '../theme.js';
import { scrollOffset } from './scroll.js';

export function ProjectList({ store, width, height }: { store: AppStore; width: number; height: number }) {
  const { c, theme } = useTheme();
  const projects = useStore(store, (s) => s.projects);
  const total = useStore(store, (s) => s.containers.length);
  const running = useStore(store, (s) => s.containers.filter((x) => x.state === 'running').length);
  const sel = useStore(store, (s) => s.ui.projectIndex);
  const focused = useStore(store, (s) => s.ui.focus === 'projects');
  const needs = useStore(store, (s) => s.attentionByProject);
  const inner = Math.max(1, width - 2);
  const rowsAvail = Math.max(1, height - 2);
  const items = [
    { name: 'all', running, total, source: 'all' as const },
    ...projects.map((p) => ({ name: p.name, running: p.running, total: p.total, source: p.source })),
  ];
  const offset = scrollOffset(sel, items.length, rowsAvail);
  const shown = items.slice(offset, offset + rowsAvail);
  return (
    <Box
      flexDirection="column"
      width={width}
      height={height}
      borderStyle="single"
      borderColor={focused ? c('border_focus') : c('border')}
    >
      {shown.map((p, i) => {
        const idx = offset + i;
        // agent panes of the project that need the user, before its counts
        const need = p.source === 'all' ? 0 : (needs[p.name] ?? 0);
        const counts = `${need ? `!${need} ` : ''}${p.running}/${p.total}`;
        const mark = p.total === 0 ? '○' : p.running === p.total ? '●' : p.running === 0 ? '○' : '◐';
        const markColor = p.total === 0 || p.running === 0 ? c('exited') : p.running === p.total ? c('running') : c('paused');
        const nameW = Math.max(1, inner - counts.length - 3);
        const selected = idx === sel;
        const line = `${fit(p.name, nameW)} ${counts}`;
        if (selected) {
          return (
            <Text key={p.name} wrap="truncate" inverse={theme.monochrome || !focused} color={focused ? c('selected_fg') : undefined} backgroundColor={focused ? c('selected_bg') : undefined}>
              {`${mark} ${line}`}
            </Text>
          );
        }
        return (
          <Text key={p.name} wrap="truncate">
            <Text color={markColor}>{mark}</Text>
            <Text color={p.source === 'all' ? c('accent') : undefined}>{` ${line}`}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
