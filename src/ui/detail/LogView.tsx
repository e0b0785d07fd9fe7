import React, { useCallback } from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { describeQuery } from '../../engine/logs/session.js';
import type { LogBuffer } from '../../engine/logs/buffer.js';
import { layoutRows, matchPosition, type LogRow } from '../../dashboard/logModel.js';
import type { AppState, AppStore } from '../../dashboard/store.js';
import { useOverlay, useWriter } from '../overlay.js';
import { paintRow, type Segment } from '../../term/paint.js';
import { fit } from '../../lib/format.js';
import { useTheme } from '../theme.js';

const NAME_COLORS = ['cyan', 'green', 'yellow', 'magenta', 'blue', 'red', 'cyanBright', 'greenBright', 'yellowBright', 'magentaBright', 'blueBright'];

/** Splits a row's body at its search marks: [text, marked][] */
function pieces(row: LogRow): Array<[string, boolean]> {
  if (!row.marks.length) return [[row.body, false]];
  const out: Array<[string, boolean]> = [];
  let at = 0;
  for (const [a, b] of row.marks) {
    if (a > at) out.push([row.body.slice(at, a), false]);
    out.push([row.body.slice(a, b), true]);
    at = b;
  }
  if (at < row.body.length) out.push([row.body.slice(at), false]);
  return out;
}

/** `search "beta" 3/16`: the search, where the current match stands, how many there are. */
function searchStatus(buf: LogBuffer, view: AppState['ui']['logView']): string {
  const m = matchPosition(buf, view.search, view.filter, view.match);
  return `search "${view.search}" ${m.total ? `${m.at ?? '-'}/${m.total}` : 'no match'}`;
}

/** The status line and the rows that fit, as the store holds them now. */
function logModel(s: AppState, width: number, height: number) {
  const session = s.logSession;
  if (!session) return null;
  const view = s.ui.logView;
  const names = session.sources.length > 1 ? session.sources.map((x) => x.name) : undefined;
  const rows = layoutRows(session.buffer, view, { width, height: Math.max(0, height - 1), names });
  const buf = session.buffer;
  const flags = [
    view.follow ? 'follow' : 'paused',
    view.timestamps ? 'timestamps' : null,
    view.wrap ? 'wrap' : 'nowrap',
    describeQuery(session.query),
    `${buf.length} lines${buf.dropped ? ` (${buf.dropped} older dropped)` : ''}`,
    view.filter ? `filter "${view.filter}"` : null,
    view.search ? searchStatus(buf, view) : null,
    session.ended.size === session.sources.length ? 'ended' : null,
  ].filter(Boolean);
  return { rows, names, status: ` ${flags.join(' · ')}`, empty: view.filter ? ' no line matches the filter' : ' no log lines yet' };
}

/**
 * The log tab: a status line, then the rows that fit (only those are computed). With a
 * screen writer the lines are painted straight into it, so a flood of lines costs no Ink
 * render; otherwise (component tests) they go through Ink.
 */
export function LogView({ store, width, height, x = 0, y = 0 }: { store: AppStore; width: number; height: number; x?: number; y?: number }) {
  const { c, theme } = useTheme();
  const writer = useWriter();
  const subscribe = useCallback((fn: () => void) => store.subscribe(fn), [store]);
  useOverlay(
    writer,
    x,
    y,
    () => {
      const m = logModel(store.getState(), width, height);
      const dim = c('dim');
      if (!m) return [paintRow([{ text: ' no logs', fg: dim }], width), ...blank(width, height - 1)];
      const out = [paintRow([{ text: m.status, fg: dim }], width)];
      if (!m.rows.length) out.push(paintRow([{ text: m.empty, fg: dim }], width));
      for (const row of m.rows) {
        const nameLen = m.names ? row.prefix.indexOf('│') + 1 : 0;
        const nameColor = theme.monochrome ? undefined : NAME_COLORS[row.source % NAME_COLORS.length];
        const segs: Segment[] = [];
        if (nameLen > 0) segs.push({ text: row.prefix.slice(0, nameLen), fg: nameColor, bold: row.current });
        segs.push({ text: row.prefix.slice(nameLen), fg: dim, bold: row.current });
        for (const [t, marked] of pieces(row)) {
          segs.push(
            marked
              ? { text: t, inverse: true, fg: theme.monochrome ? undefined : c('warning'), bold: row.current }
              : { text: t, fg: row.stream === 'stderr' ? c('stderr') : undefined, bold: row.current },
          );
        }
        out.push(paintRow(segs, width));
      }
      return [...out, ...blank(width, height - out.length)].slice(0, height);
    },
    subscribe,
  );
  if (writer) return <Box width={width} height={height} />;
  return <InkLogView store={store} width={width} height={height} />;
}

function blank(width: number, n: number) {
  return Array.from({ length: Math.max(0, n) }, () => paintRow([], width));
}

function InkLogView({ store, width, height }: { store: AppStore; width: number; height: number }) {
  const { c, theme } = useTheme();
  useStore(store, (s) => s.logsVersion);
  useStore(store, (s) => s.logSession);
  useStore(store, (s) => s.ui.logView);
  const m = logModel(store.getState(), width, height);
  if (!m) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text color={c('dim')}>{fit(' no logs', width)}</Text>
      </Box>
    );
  }
  const { rows, names, status } = m;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate" color={c('dim')}>
        {fit(status, width)}
      </Text>
      {rows.length === 0 ? (
        <Text wrap="truncate" color={c('dim')}>
          {fit(m.empty, width)}
        </Text>
      ) : (
        rows.map((row, i) => {
          const used = row.prefix.length + row.body.length;
          const pad = used < width ? ' '.repeat(width - used) : '';
          const nameLen = names ? row.prefix.indexOf('│') + 1 : 0;
          const nameColor = theme.monochrome ? undefined : NAME_COLORS[row.source % NAME_COLORS.length];
          return (
            <Text key={i} wrap="truncate" bold={row.current}>
              {nameLen > 0 ? <Text color={nameColor}>{row.prefix.slice(0, nameLen)}</Text> : null}
              <Text color={c('dim')}>{row.prefix.slice(nameLen)}</Text>
              {pieces(row).map(([t, marked], k) =>
                marked ? (
                  <Text key={k} inverse color={theme.monochrome ? undefined : c('warning')}>
                    {t}
                  </Text>
                ) : (
                  <Text key={k} color={row.stream === 'stderr' ? c('stderr') : undefined}>
                    {t}
                  </Text>
                ),
              )}
              {pad}
            </Text>
          );
        })
      )}
    </Box>
  );
}
