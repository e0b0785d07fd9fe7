import React from 'react';
import { Box, Text } from 'ink';
import { useStore } from 'zustand';
import { COMMANDS, prettyKey, type CommandId } from '../../input/keymap.js';
import type { AppStore } from '../../state/store.js';
import { fit } from '../format.js';
import { useTheme } from '../theme.js';

const HINTS: Array<[CommandId, string]> = [
  ['down', 'move'],
  ['nextPanel', 'panel'],
  ['open', 'open'],
  ['filter', 'filter'],
  ['help', 'help'],
  ['quit', 'quit'],
];

export function Footer({ store, width }: { store: AppStore; width: number }) {
  const { c } = useTheme();
  const editing = useStore(store, (s) => s.ui.filterEditing);
  const filter = useStore(store, (s) => s.ui.filter);
  const message = useStore(store, (s) => s.ui.message);
  const help = useStore(store, (s) => s.ui.help);
  if (editing) {
    return (
      <Box height={1} width={width}>
        <Text wrap="truncate">
          <Text color={c('accent')} bold>{'/'}</Text>
          <Text>{filter}</Text>
          <Text inverse> </Text>
          <Text color={c('dim')}>{fit('   enter keep  esc clear', Math.max(0, width - filter.length - 2))}</Text>
        </Text>
      </Box>
    );
  }
  if (message) {
    return (
      <Box height={1} width={width}>
        <Text wrap="truncate" color={c('warning')}>{fit(` ${message}`, width)}</Text>
      </Box>
    );
  }
  const hints = help ? [['help', 'close'] as [CommandId, string]] : HINTS;
  const first = (id: CommandId) => prettyKey(COMMANDS.find((d) => d.id === id)?.keys[0] ?? '');
  return (
    <Box height={1} width={width}>
      <Text wrap="truncate">
        {hints.map(([id, label], i) => (
          <Text key={id}>
            {i ? '  ' : ' '}
            <Text color={c('accent')} bold>
              {id === 'down' ? 'j/k' : first(id)}
            </Text>
            <Text color={c('dim')}>{` ${label}`}</Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
