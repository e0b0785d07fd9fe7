import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { activeChain } from '../../input/dashboardKeys.js';
import { CHAINS, COMMANDS, CONTEXT_TITLES, keysOf, prettyKey, type KeyContext } from '../../input/keymap.js';
import type { AppStore } from '../../dashboard/store.js';
import { fit } from '../../lib/format.js';
import { useTheme } from '../theme.js';

interface Line {
  heading?: string;
  keys?: string;
  text?: string;
}

/** Key help, generated from the command table (with the user's keys): the current view's commands first. */
export function Help({ store, width, height }: { store: AppStore; width: number; height: number }) {
  const { c } = useTheme();
  const chain = useStore(store, () => activeChain(store));
  const helpScroll = useStore(store, (s) => s.ui.helpScroll);
  const first = CHAINS[chain] ?? [];
  const order = [...first, ...(Object.keys(CONTEXT_TITLES) as KeyContext[]).filter((x) => !first.includes(x))];
  const lines: Line[] = [];
  for (const ctx of order) {
    lines.push({ heading: CONTEXT_TITLES[ctx] });
    for (const d of COMMANDS) if (d.context === ctx) lines.push({ keys: keysOf(d.id).map(prettyKey).join(', '), text: d.description });
  }
  const keyW = Math.min(20, Math.max(...lines.map((l) => (l.keys ?? '').length)));
  const inner = Math.max(1, width - 2);
  const rows = Math.max(1, height - 3);
  // Two columns when the terminal is wide enough.
  const colW = inner >= 150 ? Math.floor(inner / 2) : inner;
  const perCol = colW < inner ? rows : rows;
  const scroll = Math.max(0, Math.min(helpScroll, lines.length - perCol * (colW < inner ? 2 : 1)));
  const from = lines.slice(scroll);
  const cols = colW < inner ? [from.slice(0, perCol), from.slice(perCol, perCol * 2)] : [from.slice(0, perCol)];
  const render = (l: Line | undefined, w: number, k: number) => {
    if (!l) return <Text key={k}>{' '.repeat(w)}</Text>;
    if (l.heading) return <Text key={k} bold color={c('header')}>{fit(` ${l.heading}`, w)}</Text>;
    return (
      <Text key={k}>
        <Text color={c('accent')}>{` ${fit(l.keys ?? '', keyW)}`}</Text>
        <Text>{fit(`  ${l.text ?? ''}`, Math.max(0, w - keyW - 1))}</Text>
      </Text>
    );
  };
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={c('border_focus')}>
      <Text bold color={c('accent')} wrap="truncate">
        {fit(` Keys${lines.length > rows * cols.length ? ` ${scroll + 1}-${Math.min(lines.length, scroll + rows * cols.length)} of ${lines.length} (j/k scroll)` : ''}  ? or esc closes`, inner)}
      </Text>
      {Array.from({ length: Math.min(rows, Math.max(...cols.map((x) => x.length))) }, (_, i) => (
        <Text key={i} wrap="truncate">
          {cols.map((col, k) => render(col[i], colW, k))}
        </Text>
      ))}
    </Box>
  );
}
