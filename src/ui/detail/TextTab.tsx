import React from 'react';
import { Box, Text } from 'ink';
import type { ColorName } from '../../config/theme.js';
import { fit } from '../../lib/format.js';
import { useTheme } from '../theme.js';
import type { TextLine } from './inspectLines.js';

const ROLE: Record<NonNullable<TextLine['role']>, ColorName> = {
  heading: 'accent',
  dim: 'dim',
  error: 'error',
  warning: 'warning',
  ok: 'running',
};

/** A scrollable list of text lines (inspect, env, top). */
export function TextTab({ lines, scroll, width, height }: { lines: TextLine[]; scroll: number; width: number; height: number }) {
  const { c } = useTheme();
  const start = Math.max(0, Math.min(scroll, lines.length - height));
  const shown = lines.slice(start, start + height);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {shown.map((l, i) => (
        <Text key={start + i} wrap="truncate" bold={l.role === 'heading'} color={l.role ? c(ROLE[l.role]) : undefined}>
          {fit(` ${l.text}`, width)}
        </Text>
      ))}
    </Box>
  );
}
