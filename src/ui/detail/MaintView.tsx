import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { keyLabel } from '../../input/keymap.js';
import { backupLines, diskLines, pruneLines, type PanelLine } from '../../dashboard/maintenance.js';
import type { AppStore } from '../../dashboard/store.js';
import { fit } from '../../lib/format.js';
import { wrapTextLines } from '../../lib/textLine.js';
import { useTheme } from '../theme.js';
import { TextTab } from './TextTab.js';

/** The backup dialog, the disk-usage view (docker system df -v) or the prune preview. */
export function MaintView({ store, width, height }: { store: AppStore; width: number; height: number }) {
  const { c } = useTheme();
  const p = useStore(store, (s) => s.ui.maint);
  if (!p) return null;
  const inner = Math.max(1, width - 2);
  let title: string;
  let lines: PanelLine[];
  let keys: string;
  let color: 'warning' | 'error' | 'accent' = 'accent';
  if (p.kind === 'backup') {
    title = ` back up ${p.target || '…'} to ${p.dest}?`;
    lines = backupLines(p);
    const mode = p.consistency === 'auto' ? 'stop databases, copy the rest live' : p.consistency === 'stop' ? 'stop running users for the copy' : 'copy live';
    lines = [...lines, { text: '' }, { text: `[${p.consistency === 'stop' ? 'x' : ' '}] ${keyLabel('confirmStopLive')} ${mode}`, role: 'dim' }, { text: `[${p.dump ? 'x' : ' '}] ${keyLabel('confirmDump')} logical dump of databases too`, role: 'dim' }];
    keys = `${keyLabel('confirmYes')} back up   ${keyLabel('confirmDry')} dry run (plan only)   ${keyLabel('confirmNo')} cancel`;
    color = 'warning';
  } else if (p.kind === 'disk') {
    title = ' disk usage (docker system df -v)';
    // tables wider than the view become one record per item, not wrapped columns
    lines = diskLines(p, inner - 1);
    keys = `${keyLabel('prune')} prune preview   ${keyLabel('back')} back`;
  } else {
    title = ` prune${p.volumes ? ' (with unused volumes)' : ''}: remove these objects? This cannot be undone.`;
    lines = pruneLines(p);
    keys = `${keyLabel('confirmYes')} remove exactly these   [${p.volumes ? 'x' : ' '}] ${keyLabel('confirmVolumes')} unused volumes too   ${keyLabel('confirmNo')} cancel`;
    color = 'error';
  }
  const room = Math.max(1, height - 2 - 3);
  // long lines (archive paths, volume names) wrap: nothing is cut
  lines = wrapTextLines(lines, inner - 1); // TextTab puts a space before each line
  const scroll = p.kind === 'backup' ? 0 : Math.min(p.scroll, Math.max(0, lines.length - room));
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={c(color)}>
      <Text bold color={c(color)} wrap="truncate">
        {fit(title, inner)}
      </Text>
      <Text> </Text>
      <TextTab lines={lines} scroll={scroll} width={inner} height={room} />
      <Text bold wrap="truncate" color={c(color)}>
        {fit(`  ${keys}`, inner)}
      </Text>
    </Box>
  );
}
