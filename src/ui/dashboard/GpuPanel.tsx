import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import type { AppStore } from '../../dashboard/store.js';
import { bytes, fit } from '../../lib/format.js';
import { useTheme } from '../theme.js';

const mib = (n: number | null) => (n === null ? '-' : bytes(n * 1024 * 1024));
const num = (n: number | null, unit: string) => (n === null ? '-' : `${Math.round(n)}${unit}`);

/** Per GPU figures and the compute processes on them, with the container each belongs to. */
export function GpuPanel({ store, width, height }: { store: AppStore; width: number; height: number }) {
  const { c } = useTheme();
  const gpu = useStore(store, (s) => s.gpu);
  const containers = useStore(store, (s) => s.containers);
  const inner = Math.max(1, width - 2);
  const names = new Map(containers.map((x) => [x.id, x.name]));
  const lines: Array<{ text: string; color?: string; bold?: boolean }> = [];
  if (!gpu) {
    lines.push({ text: ' no GPU tool found (nvidia-smi or rocm-smi)', color: c('dim') });
  } else {
    if (gpu.problem) lines.push({ text: ` ${gpu.problem}`, color: c('warning') });
    lines.push({ text: ` ${fit('GPU', 5)}${fit('NAME', 22)}${fit('UTIL', 6, 'right')}${fit('MEMORY', 15, 'right')}${fit('TEMP', 6, 'right')}${fit('POWER', 12, 'right')}`, color: c('dim'), bold: true });
    for (const g of gpu.gpus) {
      if (g.lost) {
        lines.push({ text: ` ${fit(String(g.index ?? '?'), 5)}${fit(g.busId ?? g.name ?? '', 22)} lost: ${g.error ?? 'unreachable'}`, color: c('error') });
        continue;
      }
      const power = g.powerW === null ? '-' : `${Math.round(g.powerW)}/${num(g.powerLimitW, 'W')}`;
      lines.push({
        text: ` ${fit(String(g.index ?? '?'), 5)}${fit(g.name ?? '', 22)}${fit(num(g.utilPct, '%'), 6, 'right')}${fit(`${mib(g.memUsedMiB)}/${mib(g.memTotalMiB)}`, 15, 'right')}${fit(num(g.tempC, '°C'), 6, 'right')}${fit(power, 12, 'right')}`,
      });
    }
    lines.push({ text: '' });
    lines.push({ text: ` ${fit('PID', 9)}${fit('GPU', 5)}${fit('MEMORY', 9, 'right')}  ${fit('CONTAINER', 24)}PROCESS`, color: c('dim'), bold: true });
    if (!gpu.processes.length) lines.push({ text: ' no compute processes', color: c('dim') });
    for (const p of gpu.processes) {
      const owner = p.containerId ? (names.get(p.containerId) ?? p.containerId.slice(0, 12)) : '(host)';
      lines.push({ text: ` ${fit(String(p.pid), 9)}${fit(p.gpuIndex === null ? '?' : String(p.gpuIndex), 5)}${fit(mib(p.usedMemMiB), 9, 'right')}  ${fit(owner, 24)}${p.name}` });
    }
  }
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={c('border_focus')}>
      <Text bold color={c('accent')} wrap="truncate">
        {' GPUs'}
      </Text>
      {lines.slice(0, Math.max(0, height - 3)).map((l, i) => (
        <Text key={i} wrap="truncate" color={l.color} bold={l.bold}>
          {fit(l.text, inner)}
        </Text>
      ))}
    </Box>
  );
}
