import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { footerView, hintsOf } from '../../input/dashboardKeys.js';
import { keysOf, prettyKey, type CommandId } from '../../input/keymap.js';
import type { AppStore } from '../../dashboard/store.js';
import { fit } from '../../lib/format.js';
import { useTheme } from '../theme.js';

export function Footer({ store, width }: { store: AppStore; width: number }) {
  const { c } = useTheme();
  const editing = useStore(store, (s) => s.ui.filterEditing);
  const filter = useStore(store, (s) => s.ui.filter);
  const message = useStore(store, (s) => s.ui.message);
  const kind = useStore(store, (s) => s.ui.messageKind);
  const busy = useStore(store, (s) => s.ui.busy);
  const prompt = useStore(store, (s) => s.ui.prompt);
  const view = useStore(store, () => footerView(store));
  if (editing || prompt) {
    const label = prompt ? (prompt.kind === 'command' ? ':' : `${prompt.label}: `) : '/';
    const value = prompt ? prompt.value : filter;
    const tail = prompt ? (prompt.kind === 'command' ? `   ${prompt.label || 'tab completes  enter runs  esc cancel'}` : '   enter ok  esc cancel') : '   enter keep  esc clear';
    // The end of a long value stays visible.
    const room = Math.max(1, width - label.length - 2);
    const shown = value.length > room ? `…${value.slice(value.length - room + 1)}` : value;
    return (
      <Box height={1} width={width}>
        <Text wrap="truncate">
          <Text color={c('accent')} bold>
            {label}
          </Text>
          <Text>{shown}</Text>
          <Text inverse> </Text>
          <Text color={c('dim')}>{fit(tail, Math.max(0, width - label.length - shown.length - 1))}</Text>
        </Text>
      </Box>
    );
  }
  if (message) {
    const color = kind === 'error' ? c('error') : kind === 'ok' ? c('running') : c('warning');
    const text = ` ${busy ? '⋯ ' : ''}${message}`;
    // a message too long for the line says where to read it whole
    const more = [...text].length > width ? `  ${prettyKey(keysOf('messages')[0] ?? 'M')}: in full` : '';
    return (
      <Box height={1} width={width}>
        <Text wrap="truncate">
          <Text color={color}>{fit(text, Math.max(1, width - more.length))}</Text>
          <Text color={c('dim')}>{more}</Text>
        </Text>
      </Box>
    );
  }
  // the top view says what the footer shows (views.ts: the same order keys follow); the
  // hints come from the key table, in the order the view's key chain looks keys up
  const hints = view ? hintsOf(view) : [];
  const first = (id: CommandId) => (id === 'down' ? `${prettyKey(keysOf('down')[0] ?? '')}/${prettyKey(keysOf('up')[0] ?? '')}` : prettyKey(keysOf(id)[0] ?? ''));
  return (
    <Box height={1} width={width}>
      <Text wrap="truncate">
        {hints.map(([id, label], i) => (
          <Text key={id}>
            {i ? '  ' : ' '}
            <Text color={c('accent')} bold>
              {first(id)}
            </Text>
            <Text color={c('dim')}>{` ${label}`}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
