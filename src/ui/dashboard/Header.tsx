import React, { useMemo } from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import type { AppStore } from '../../state/store.js';
import { totals } from '../../state/store.js';
import { bytes, fit, percent } from '../format.js';
import { useTheme } from '../theme.js';

export function Header({ store, width }: { store: AppStore; width: number }) {
  const { c } = useTheme();
  const engine = useStore(store, (s) => s.engine);
  const containers = useStore(store, (s) => s.containers);
  const projects = useStore(store, (s) => s.projects);
  const stats = useStore(store, (s) => s.stats);
  const t = useMemo(() => totals({ containers, projects, stats }), [containers, projects, stats]);
  const gpuLine = useStore(store, (s) => (s.gpu?.problem ? 'GPU ?' : (s.gpu?.line ?? null)));
  const left = ` berth  ${engine.address}`;
  const engineText =
    engine.kind === 'connected'
      ? ` ${engine.version}`
      : engine.kind === 'connecting'
        ? ' connecting…'
        : ` DOWN: ${engine.error} — reconnecting`;
  const right =
    `${t.projects} projects  ${t.running}/${t.containers} running  ` +
    `CPU ${percent(t.cpuPct)}  MEM ${bytes(t.memUsed)}${gpuLine ? `  ${gpuLine}` : ''} `;
  const rightText = right.length > width ? fit(right, width) : right;
  const room = Math.max(0, width - rightText.length - 1);
  const leftText = fit(left + engineText, room);
  const split = Math.min(left.length, leftText.length);
  return (
    <Box height={1} width={width}>
      <Text wrap="truncate">
        <Text bold color={c('header')}>{leftText.slice(0, split)}</Text>
        <Text color={engine.kind === 'down' ? c('error') : c('dim')} bold={engine.kind === 'down'}>
          {leftText.slice(split)}
        </Text>
        <Text>{' ' + rightText}</Text>
      </Text>
    </Box>
  );
}
