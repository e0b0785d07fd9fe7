import React, { createContext, useContext } from 'react';
import { colorOf, type ColorName, type Theme } from '../config/theme.js';

const ThemeContext = createContext<Theme | null>(null);

export function ThemeProvider({ theme, children }: { theme: Theme; children: React.ReactNode }) {
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

export function useTheme(): { theme: Theme; c: (role: ColorName) => string | undefined } {
  const theme = useContext(ThemeContext);
  if (!theme) throw new Error('ThemeProvider missing');
  return { theme, c: (role) => colorOf(theme, role) };
}
