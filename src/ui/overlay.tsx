// Lets components draw hot regions straight into the screen writer (see screen/writer.ts),
// bypassing Ink for content that changes every second. Without a writer (component tests)
// components fall back to drawing through Ink.
import { createContext, useContext, useEffect, useRef } from 'react';
import type { Cell } from '../term/cells.js';
import type { ScreenWriter } from '../term/writer.js';

export const WriterContext = createContext<ScreenWriter | null>(null);

export function useWriter(): ScreenWriter | null {
  return useContext(WriterContext);
}

let nextId = 0;

/**
 * Keeps an overlay at (x, y) painted by `paint()` whenever `subscribe` reports a change,
 * and removes it on unmount. `paint` may return null to draw nothing.
 */
export function useOverlay(
  writer: ScreenWriter | null,
  x: number,
  y: number,
  paint: () => Cell[][] | null,
  subscribe: (onChange: () => void) => () => void,
): void {
  const id = useRef(`overlay-${nextId++}`);
  const paintRef = useRef(paint);
  paintRef.current = paint;
  useEffect(() => {
    if (!writer) return;
    const draw = () => {
      const rows = paintRef.current();
      writer.setOverlay(id.current, rows ? { x, y, rows } : null);
    };
    draw();
    const unsubscribe = subscribe(draw);
    return () => {
      unsubscribe();
      writer.setOverlay(id.current, null);
    };
  }, [writer, x, y, subscribe]);
  // Geometry or props changed: repaint with the new closure.
  useEffect(() => {
    if (!writer) return;
    const rows = paintRef.current();
    writer.setOverlay(id.current, rows ? { x, y, rows } : null);
  });
}
