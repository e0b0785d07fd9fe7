import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { activeChain } from '../../input/dashboardKeys.js';
import { CHAINS, COMMANDS, CONTEXT_TITLES, keysOf, prettyKey, type KeyContext } from '../../input/keymap.js';
import type { AppStore } from '../../dashboard/store.js';
import { fit } from '../../lib/format.js';
import { wrapWords } from '../../lib/textLine.js';
import { useTheme } from '../theme.js';

interface Line {
  heading?: string;
  keys?: string;
  text?: string;
}

/**
 * Key help, generated from the command table (with the user's keys): the current view's
 * commands first. Long descriptions wrap; `/` shows only the commands that match.
 */
export function Help({ store, width, height }: { store: AppStore; width: number; height: number }) {
  const { c } = useTheme();
  const chain = useStore(store, () => activeChain(store));
  const helpScroll = useStore(store, (s) => s.ui.helpScroll);
  const search = useStore(store, (s) => s.ui.helpSearch).trim().toLowerCase();
  const engine = useStore(store, (s) => s.engine);
  const first = CHAINS[chain] ?? [];
  const order = [...first, ...(Object.keys(CONTEXT_TITLES) as KeyContext[]).filter((x) => !first.includes(x))];
  const entries: Array<{ ctx: KeyContext; keys: string; text: string }> = [];
  for (const ctx of order) {
    for (const d of COMMANDS) {
      if (d.context !== ctx) continue;
      const keys = keysOf(d.id).map(prettyKey).join(', ');
      if (search && !`${d.id} ${keys} ${d.description}`.toLowerCase().includes(search)) continue;
      entries.push({ ctx, keys, text: d.description });
    }
  }
  const keyW = Math.min(20, Math.max(0, ...entries.map((e) => e.keys.length)));
  const inner = Math.max(1, width - 2);
  const rows = Math.max(1, height - 3);
  // Two columns when the terminal is wide enough.
  const colW = inner >= 150 ? Math.floor(inner / 2) : inner;
  const textW = Math.max(8, colW - keyW - 3);
  const lines: Line[] = [];
  let heading: KeyContext | null = null;
  for (const e of entries) {
    if (e.ctx !== heading) {
      heading = e.ctx;
      lines.push({ heading: CONTEXT_TITLES[e.ctx] });
    }
    wrapWords(e.text, textW).forEach((piece, i) => lines.push({ keys: i === 0 ? e.keys : '', text: piece }));
  }
  if (!lines.length) lines.push({ text: `nothing matches "${search}" (esc clears the search)` });
  // the engine, in full (the header cuts a long address at 80 columns)
  if (!search) {
    const where = engine.kind === 'connected' ? `${engine.address}  Docker ${engine.version}` : engine.address;
    lines.unshift({ heading: 'Engine' }, ...wrapWords(where, textW).map((text) => ({ text })));
  }
  const perCol = rows;
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
        {fit(` Keys${search ? ` matching "${search}"` : ''}${lines.length > rows * cols.length ? ` ${scroll + 1}-${Math.min(lines.length, scroll + rows * cols.length)} of ${lines.length} (j/k scroll)` : ''}  / searches  ? or esc closes`, inner)}
      </Text>
      {Array.from({ length: Math.min(rows, Math.max(...cols.map((x) => x.length))) }, (_, i) => (
        <Text key={i} wrap="truncate">
          {cols.map((col, k) => render(col[i], colW, k))}
        </Text>
      ))}
    </Box>
  );
}
