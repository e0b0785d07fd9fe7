import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { keyLabel, type CommandId } from '../../input/keymap.js';
import { composeLines, doctorLines, doctorSummary, downVolumeLines, firstShown, messageLines, sessionLine } from '../../dashboard/projectView.js';
import type { AppStore } from '../../dashboard/store.js';
import { fit } from '../../lib/format.js';
import { wrapTextLines } from '../../lib/textLine.js';
import { useTheme } from '../theme.js';
import type { TextLine } from './inspectLines.js';
import { TextTab } from './TextTab.js';

const MENU: Array<[CommandId, string]> = [
  ['composeUp', 'up (create and start, detached)'],
  ['composeDown', 'down (asks first; volumes kept unless asked)'],
  ['composeBuild', 'build'],
  ['composePull', 'pull'],
  ['composeRestart', 'restart'],
  ['composeLogs', 'logs'],
];

/** The Doctor view, the compose menu, the compose output and the down confirmation. */
export function ProjectPanelView({ store, width, height }: { store: AppStore; width: number; height: number }) {
  const { c } = useTheme();
  const p = useStore(store, (s) => s.projectPanel);
  const log = useStore(store, (s) => s.ui.messageLog);
  if (!p) return null;
  const inner = Math.max(1, width - 2);
  if (p.kind === 'confirmDown') {
    const lines = [`compose down ${p.project} (${p.dir}): stops and removes its containers and networks`, ...downVolumeLines(p)];
    return (
      <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={c(p.removeVolumes ? 'error' : 'warning')}>
        <Text bold color={c(p.removeVolumes ? 'error' : 'warning')} wrap="truncate">
          {fit(` compose down ${p.project}?`, inner)}
        </Text>
        <Text> </Text>
        {lines.map((l, i) => (
          <Text key={i} wrap="truncate" color={i > 0 && p.removeVolumes ? c('error') : undefined}>
            {fit(`  ${l}`, inner)}
          </Text>
        ))}
        <Text> </Text>
        <Text wrap="truncate" color={c('dim')}>
          {fit(`  [${p.removeVolumes ? 'x' : ' '}] ${keyLabel('confirmVolumes')} remove the volumes too (down --volumes: their data is lost)`, inner)}
        </Text>
        <Text wrap="truncate">
          <Text bold color={c('error')}>{`  ${keyLabel('confirmYes')} down`}</Text>
          <Text color={c('accent')}>{`   ${keyLabel('confirmDry')} dry run (show the command)`}</Text>
          <Text>{`   ${keyLabel('confirmNo')} cancel`}</Text>
        </Text>
      </Box>
    );
  }
  if (p.kind === 'confirmProxy') {
    // the diff's lines that fit, notes above; long files are rare here (labels and networks only)
    const room = Math.max(1, height - 7 - p.notes.length);
    const shown = p.diff.slice(0, room);
    return (
      <Box flexDirection="column" width={width} height={height} borderStyle="double" borderColor={c('warning')}>
        <Text bold color={c('warning')} wrap="truncate">
          {fit(` route ${p.service} of ${p.project} through Traefik as ${p.tls ? 'https' : 'http'}://${p.host}? (${p.file})`, inner)}
        </Text>
        {p.notes.map((n, i) => (
          <Text key={`n${i}`} wrap="truncate" color={c('dim')}>
            {fit(`  ${n}`, inner)}
          </Text>
        ))}
        <Text> </Text>
        {shown.map((l, i) => (
          <Text key={i} wrap="truncate" color={l.startsWith('+') ? c('running') : l.startsWith('-') ? c('error') : l.startsWith('@@') ? c('accent') : undefined}>
            {fit(`  ${l}`, inner)}
          </Text>
        ))}
        {p.diff.length > shown.length ? (
          <Text wrap="truncate" color={c('dim')}>
            {fit(`  … ${p.diff.length - shown.length} more lines (berth proxy add --dry-run shows them all)`, inner)}
          </Text>
        ) : null}
        <Box flexGrow={1} />
        <Text wrap="truncate">
          <Text bold color={c('warning')}>{`  ${keyLabel('confirmYes')} write it`}</Text>
          <Text>{`   ${keyLabel('confirmNo')} cancel`}</Text>
        </Text>
      </Box>
    );
  }
  if (p.kind === 'presets') {
    // two lines a preset; the list scrolls to keep the chosen one in view
    const room = Math.max(1, Math.floor((height - 6) / 2));
    const first = Math.max(0, Math.min(p.selected - room + 1, p.presets.length - room));
    return (
      <Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={c('border_focus')}>
        <Text bold color={c('accent')} wrap="truncate">
          {fit(` agent panes for ${p.project} from a preset`, inner)}
        </Text>
        <Text> </Text>
        {p.presets.slice(first, first + room).map((x, i) => {
          const chosen = first + i === p.selected;
          return (
            <Box key={x.name} flexDirection="column">
              <Text wrap="truncate" bold={chosen} inverse={chosen}>
                {fit(`${chosen ? '▶' : ' '} ${x.name}  ${x.description}`, inner)}
              </Text>
              <Text wrap="truncate" color={c('dim')}>
                {fit(`    ${x.layout}: ${x.panes}${x.source === 'project' ? "  (the project's .berth/presets/)" : ''}`, inner)}
              </Text>
            </Box>
          );
        })}
        <Box flexGrow={1} />
        {p.error ? (
          <Text wrap="truncate" color={c('error')}>
            {fit(`  ${p.error}`, inner)}
          </Text>
        ) : null}
        <Text wrap="truncate" color={c('dim')}>
          {fit(`  j/k choose  ${keyLabel('pick')} start its agents  ${keyLabel('back')} cancel`, inner)}
        </Text>
      </Box>
    );
  }
  if (p.kind === 'sessions') {
    // a session a line, its panes below it; the list scrolls to keep the chosen one in view
    const room = Math.max(1, height - 5);
    const first = Math.max(0, Math.min(p.selected - room + 1, p.sessions.length - room));
    return (
      <Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={c('border_focus')}>
        <Text bold color={c('accent')} wrap="truncate">
          {fit(` sessions of the berth server (${p.sessions.length})`, inner)}
        </Text>
        <Text> </Text>
        {p.sessions.slice(first, first + room).map((x, i) => {
          const chosen = first + i === p.selected;
          return (
            <Text key={x.name} wrap="truncate" bold={chosen} inverse={chosen}>
              {fit(`${chosen ? '▶' : ' '} ${sessionLine(x)}`, inner)}
            </Text>
          );
        })}
        <Box flexGrow={1} />
        <Text wrap="truncate" color={c('dim')}>
          {fit(`  j/k choose  ${keyLabel('showSession')} show it (C-b d comes back)  ${keyLabel('endSession')} end it (asks)  ${keyLabel('back')} back`, inner)}
        </Text>
      </Box>
    );
  }
  if (p.kind === 'menu') {
    return (
      <Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={c('border_focus')}>
        <Text bold color={c('accent')} wrap="truncate">
          {fit(` compose ${p.project}  ${p.dir}`, inner)}
        </Text>
        <Text> </Text>
        {MENU.map(([id, label]) => (
          <Text key={id} wrap="truncate">
            <Text bold color={c('accent')}>{`  ${keyLabel(id)}`}</Text>
            <Text>{fit(`  ${label}`, Math.max(0, inner - 2 - keyLabel(id).length))}</Text>
          </Text>
        ))}
        <Text> </Text>
        <Text wrap="truncate" color={c('dim')}>
          {fit(`  ${keyLabel('back')} cancel; the output streams into a view, ${keyLabel('back')} there leaves the command running`, inner)}
        </Text>
      </Box>
    );
  }
  const contentH = Math.max(1, height - 3);
  let title: string;
  let status: string;
  let lines: TextLine[];
  let start: number;
  if (p.kind === 'messages') {
    title = ' messages';
    status = `${log.length} kept, newest last`;
    lines = wrapTextLines(messageLines(log), inner - 1);
    start = Math.max(0, Math.min(p.scroll, lines.length - contentH));
  } else if (p.kind === 'doctor') {
    title = ` doctor ${p.project}`;
    if (p.error) {
      lines = [{ text: p.error, role: 'error' }];
      status = 'failed';
    } else if (!p.report) {
      lines = [{ text: `checking… (${p.dir})`, role: 'dim' }];
      status = 'checking…';
    } else {
      lines = doctorLines(p.report);
      status = doctorSummary(p.report);
    }
    lines = wrapTextLines(lines, inner - 1); // TextTab puts a space before each line
    start = Math.max(0, Math.min(p.scroll, lines.length - contentH));
  } else {
    title = ` ${p.run.project}: ${p.run.label}`;
    lines = wrapTextLines(composeLines(p.run), inner - 1);
    status = p.run.running ? `running${p.follow ? ', following' : ', paused (G follows)'}` : p.run.error ? 'failed' : `exit ${p.run.exitCode ?? 0}`;
    start = firstShown(lines.length, contentH, p.scroll, p.follow);
  }
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={c('border_focus')}>
      <Text wrap="truncate">
        <Text bold color={c('accent')}>{title}</Text>
        <Text color={c('dim')}>{fit(`  ${status}`, Math.max(0, inner - title.length))}</Text>
      </Text>
      <TextTab lines={lines} scroll={start} width={inner} height={contentH} />
    </Box>
  );
}
