import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { describeRemoval } from '../../engine/actions.js';
import { keyLabel } from '../../input/keymap.js';
import type { AppStore } from '../../dashboard/store.js';
import { fit } from '../../lib/format.js';
import { useTheme } from '../theme.js';

/** Asks before running the commands of a project's .ntm/config.toml for the first time. */
function TrustDialog({ title, lines, width, height }: { title: string; lines: string[]; width: number; height: number }) {
  const { c } = useTheme();
  const inner = Math.max(1, width - 2);
  const room = Math.max(1, height - 2 - 3);
  const shown = lines.length > room ? [...lines.slice(0, room - 1), `… and ${lines.length - room + 1} more lines`] : lines;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={c('warning')}>
      <Text bold color={c('warning')} wrap="truncate">
        {fit(` ${title}?`, inner)}
      </Text>
      <Text> </Text>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate">
          {fit(`  ${l}`, inner)}
        </Text>
      ))}
      <Text wrap="truncate">
        <Text bold color={c('warning')}>{`  ${keyLabel('confirmYes')} trust it and start the agents`}</Text>
        <Text>{`   ${keyLabel('confirmNo')} cancel`}</Text>
      </Text>
    </Box>
  );
}

/** Asks before removing: names every container, and what happens to its volumes. */
export function ConfirmDialog({ store, width, height }: { store: AppStore; width: number; height: number }) {
  const { c } = useTheme();
  const confirm = useStore(store, (s) => s.ui.confirm);
  if (!confirm) return null;
  const inner = Math.max(1, width - 2);
  if (confirm.action === 'trust') return <TrustDialog lines={confirm.lines ?? []} title={confirm.title} width={width} height={height} />;
  const lines = confirm.previews ? describeRemoval(confirm.previews, confirm) : [...confirm.targets.map((t) => `container ${t.name}`), 'checking volumes…'];
  const opts = [
    `[${confirm.volumes ? 'x' : ' '}] ${keyLabel('confirmVolumes')} anonymous volumes go too`,
    `[${confirm.force ? 'x' : ' '}] ${keyLabel('confirmForce')} force (stops running ones)`,
  ];
  const room = Math.max(1, height - 2 - 3 - opts.length - 1);
  const shown = lines.length > room ? [...lines.slice(0, room - 1), `… and ${lines.length - room + 1} more lines`] : lines;
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={c('error')}>
      <Text bold color={c('error')} wrap="truncate">
        {fit(` ${confirm.title}? This cannot be undone.`, inner)}
      </Text>
      <Text> </Text>
      {shown.map((l, i) => (
        <Text key={i} wrap="truncate">
          {fit(`  ${l}`, inner)}
        </Text>
      ))}
      <Text> </Text>
      {opts.map((o) => (
        <Text key={o} wrap="truncate" color={c('dim')}>
          {fit(`  ${o}`, inner)}
        </Text>
      ))}
      <Text wrap="truncate">
        <Text bold color={c('error')}>{`  ${keyLabel('confirmYes')} remove`}</Text>
        <Text color={c('accent')}>{`   ${keyLabel('confirmDry')} dry run (list only)`}</Text>
        <Text>{`   ${keyLabel('confirmNo')} cancel`}</Text>
      </Text>
    </Box>
  );
}
