import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import type { AppStore } from '../../dashboard/store.js';
import { blockGraph, bytes, fit, percent, rate } from '../../lib/format.js';
import { useTheme } from '../theme.js';

/** CPU, memory and network graphs from the stats ring, scaled to the panel. */
export function StatsTab({ store, id, width, height }: { store: AppStore; id: string; width: number; height: number }) {
  const { c } = useTheme();
  const st = useStore(store, (s) => s.stats[id]);
  const samples = st?.samples ?? [];
  if (!st?.latest || samples.length === 0) {
    return (
      <Box width={width} height={height}>
        <Text color={c('dim')}>{fit(' no figures: the container is not running (or no sample yet)', width)}</Text>
      </Box>
    );
  }
  const last = st.latest;
  const graphs = [
    { title: `CPU ${percent(last.cpuPct)}`, values: samples.map((x) => x.cpuPct), top: 100, color: c('cpu_low'), unit: percent },
    { title: `MEM ${bytes(last.memUsed)} / ${bytes(last.memLimit)}`, values: samples.map((x) => x.memUsed), top: undefined, color: c('accent'), unit: bytes },
    { title: `NET ↓ ${rate(last.rxRate)}/s`, values: samples.map((x) => x.rxRate), top: undefined, color: c('running'), unit: (n: number) => `${rate(n)}/s` },
    { title: `NET ↑ ${rate(last.txRate)}/s`, values: samples.map((x) => x.txRate), top: undefined, color: c('warning'), unit: (n: number) => `${rate(n)}/s` },
  ];
  const span = samples.length > 1 ? Math.round((samples[samples.length - 1]!.t - samples[0]!.t) / 1000) : 0;
  const each = Math.max(1, Math.floor((height - 1) / graphs.length) - 1);
  const gw = Math.max(1, width - 2);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text color={c('dim')} wrap="truncate">
        {fit(` last ${span}s, ${samples.length} samples · pids ${last.pids}`, width)}
      </Text>
      {graphs.map((g) => (
        <Box key={g.title} flexDirection="column">
          <Text bold wrap="truncate">
            {fit(` ${g.title}  (graph top ${g.unit(Math.max(g.top ?? 0, ...g.values.slice(-gw)))})`, width)}
          </Text>
          {blockGraph(g.values, gw, each, g.top).map((row, i) => (
            <Text key={i} color={g.color} wrap="truncate">
              {` ${row} `}
            </Text>
          ))}
        </Box>
      ))}
    </Box>
  );
}
