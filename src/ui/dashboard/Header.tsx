import React, { useCallback, useRef } from 'react';
import type { Cell } from '../../term/cells.js';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import type { AppStore } from '../../dashboard/store.js';
import { useOverlay, useWriter } from '../overlay.js';
import { paintRow } from '../../term/paint.js';
import { useTheme } from '../theme.js';
import { headerSegments } from './headerLine.js';

/**
 * Engine, counts and totals. With a screen writer the line is painted directly (its
 * figures change every second); otherwise through Ink.
 */
export function Header({ store, width }: { store: AppStore; width: number }) {
  const { theme } = useTheme();
  const writer = useWriter();
  const subscribe = useCallback((fn: () => void) => store.subscribe(fn), [store]);
  // the line painted last time and what it showed: the same text is the same row (the
  // writer then skips it), as the table's rows (tablePainter.ts)
  const last = useRef<{ key: string; row: Cell[] } | null>(null);
  useOverlay(
    writer,
    0,
    0,
    () => {
      const segs = headerSegments(store.getState(), width, theme);
      const key = `${width}${JSON.stringify(segs)}`;
      if (last.current?.key !== key) last.current = { key, row: paintRow(segs, width) };
      return [last.current.row];
    },
    subscribe,
  );
  if (writer) return <Box height={1} width={width} />;
  return <InkHeader store={store} width={width} />;
}

function InkHeader({ store, width }: { store: AppStore; width: number }) {
  const { theme } = useTheme();
  useStore(store, (s) => s.engine);
  useStore(store, (s) => s.containers);
  useStore(store, (s) => s.stats);
  useStore(store, (s) => s.gpu);
  useStore(store, (s) => s.attention);
  const segs = headerSegments(store.getState(), width, theme);
  return (
    <Box height={1} width={width}>
      <Text wrap="truncate">
        {segs.map((s, i) => (
          <Text key={i} color={s.fg} bold={s.bold}>
            {s.text}
          </Text>
        ))}
      </Text>
    </Box>
  );
}
