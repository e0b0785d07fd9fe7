import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { describeQuery } from '../../engine/logs/session.js';
import { layoutRows, type LogRow } from '../../state/logModel.js';
import type { AppStore } from '../../state/store.js';
import { fit } from '../format.js';
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

/** The log tab: a status line, then the rows that fit (only those are computed). */
export function LogView({ store, width, height }: { store: AppStore; width: number; height: number }) {
  const { c, theme } = useTheme();
  useStore(store, (s) => s.logsVersion);
  const session = useStore(store, (s) => s.logSession);
  const view = useStore(store, (s) => s.ui.logView);
  const bodyH = Math.max(0, height - 1);
  if (!session) {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text color={c('dim')}>{fit(' no logs', width)}</Text>
      </Box>
    );
  }
  const names = session.sources.length > 1 ? session.sources.map((x) => x.name) : undefined;
  const rows = layoutRows(session.buffer, view, { width, height: bodyH, names });
  const buf = session.buffer;
  const flags = [
    view.follow ? 'follow' : 'paused',
    view.timestamps ? 'timestamps' : null,
    view.wrap ? 'wrap' : 'nowrap',
    describeQuery(session.query),
    `${buf.length} lines${buf.dropped ? ` (${buf.dropped} older dropped)` : ''}`,
    view.filter ? `filter "${view.filter}"` : null,
    view.search ? `search "${view.search}"` : null,
    session.ended.size === session.sources.length ? 'ended' : null,
  ].filter(Boolean);
  const status = ` ${flags.join(' · ')}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate" color={c('dim')}>
        {fit(status, width)}
      </Text>
      {rows.length === 0 ? (
        <Text wrap="truncate" color={c('dim')}>
          {fit(view.filter ? ' no line matches the filter' : ' no log lines yet', width)}
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
