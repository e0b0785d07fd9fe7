import React from 'react';
import type { Theme } from '../config/theme.js';
import type { AppStore } from '../state/store.js';
import { Dashboard } from './dashboard/Dashboard.js';
import { ThemeProvider } from './theme.js';
import { useTerminalSize } from './useTerminalSize.js';

export function App({ store, theme, out }: { store: AppStore; theme: Theme; out: NodeJS.WriteStream }) {
  const { cols, rows } = useTerminalSize(out);
  return (
    <ThemeProvider theme={theme}>
      <Dashboard store={store} cols={cols} rows={rows} />
    </ThemeProvider>
  );
}
