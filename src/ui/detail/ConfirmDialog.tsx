import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { describeRemoval } from '../../engine/actions.js';
import { keyLabel } from '../../input/keymap.js';
import type { AppStore } from '../../dashboard/store.js';
import { fit } from '../../lib/format.js';
import { useTheme } from '../theme.js';

/**
 * A question with lines of detail: trusting a project's .ntm/config.toml (what it runs),
 * stopping a container that has live agent panes, or ending a session (the panes that end).
 */
function LinesDialog({ title, lines, width, height, yes, dry }: { title: string; lines: string[]; width: number; height: number; yes: string; dry?: boolean }) {
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
        <Text bold color={c('warning')}>{`  ${keyLabel('confirmYes')} ${yes}`}</Text>
        {dry ? <Text color={c('accent')}>{`   ${keyLabel('confirmDry')} dry run`}</Text> : null}
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
  if (confirm.action === 'trust') return <LinesDialog lines={confirm.lines ?? []} title={confirm.title} width={width} height={height} yes="trust it and start the agents" />;
  if (confirm.action === 'session') return <LinesDialog lines={confirm.lines ?? []} title={confirm.title} width={width} height={height} yes="end it" dry />;
  if (confirm.action === 'panes') return <LinesDialog lines={confirm.lines ?? []} title={confirm.title} width={width} height={height} yes={`${confirm.op ?? 'go on'} anyway`} />;
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
