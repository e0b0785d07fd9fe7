import React from 'react';
import { Box, Text } from 'ink';
import { COMMANDS, prettyKey } from '../../input/keymap.js';
import { fit } from '../format.js';
import { useTheme } from '../theme.js';

/** Key help, generated from the command table. */
export function Help({ width, height }: { width: number; height: number }) {
  const { c } = useTheme();
  const keyW = Math.max(...COMMANDS.map((d) => d.keys.map(prettyKey).join(', ').length));
  const rows = COMMANDS.slice(0, Math.max(0, height - 3));
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="single" borderColor={c('border_focus')}>
      <Text bold color={c('accent')} wrap="truncate">
        {' Keys'}
      </Text>
      {rows.map((d) => (
        <Text key={d.id} wrap="truncate">
          <Text color={c('accent')}>{` ${fit(d.keys.map(prettyKey).join(', '), keyW)}`}</Text>
          <Text>{`  ${d.description}`}</Text>
        </Text>
      ))}
    </Box>
  );
}
