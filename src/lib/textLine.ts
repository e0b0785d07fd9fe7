/** One line of a text view (inspect, env, project panel), with the role that picks its colour. */
export interface TextLine {
  text: string;
  role?: 'heading' | 'dim' | 'error' | 'warning' | 'ok';
}

/**
 * Lines longer than `width` cells broken into several (at a space when there is one in the
 * second half of the piece), the continuations indented by the line's own indent plus
 * `indent`, so a narrow view cuts nothing. The role goes with every piece.
 */
export function wrapTextLines(lines: readonly TextLine[], width: number, indent = 2): TextLine[] {
  if (width < 8) return [...lines];
  const out: TextLine[] = [];
  for (const l of lines) {
    let chars = [...l.text];
    if (chars.length <= width) {
      out.push(l);
      continue;
    }
    const pad = ' '.repeat(Math.min(width / 2, (/^ */.exec(l.text)?.[0].length ?? 0) + indent));
    let first = true;
    while (chars.length) {
      const room = first ? width : width - pad.length;
      let take = Math.min(room, chars.length);
      if (take < chars.length) {
        const space = chars.lastIndexOf(' ', take);
        if (space > room / 2) take = space + 1;
      }
      const piece = chars.slice(0, take).join('').trimEnd();
      out.push({ ...l, text: first ? piece : pad + piece });
      chars = chars.slice(take);
      while (chars[0] === ' ') chars.shift();
      first = false;
    }
  }
  return out;
}
