import React from 'react';
import { Text } from 'ink';
import { useStore } from 'zustand';
import type { Theme } from '../config/theme.js';
import type { AppStore } from '../dashboard/store.js';
import { Dashboard } from './dashboard/Dashboard.js';
import { WriterContext } from './overlay.js';
import type { ScreenWriter } from '../term/writer.js';
import { ThemeProvider } from './theme.js';
import { useTerminalSize } from './useTerminalSize.js';

export function App({ store, theme, out, writer = null }: { store: AppStore; theme: Theme; out: NodeJS.WriteStream; writer?: ScreenWriter | null }) {
  const { cols, rows } = useTerminalSize(out);
  const suspended = useStore(store, (s) => s.ui.suspended);
  // While a shell has the terminal, the frame is constant, so the writer sends nothing.
  if (suspended) return <Text> </Text>;
  return (
    <WriterContext.Provider value={writer}>
      <ThemeProvider theme={theme}>
        <Dashboard store={store} cols={cols} rows={rows} />
      </ThemeProvider>
    </WriterContext.Provider>
  );
}
