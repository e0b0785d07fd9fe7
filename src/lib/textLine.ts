/** One line of a text view (inspect, env, project panel), with the role that picks its colour. */
export interface TextLine {
  text: string;
  role?: 'heading' | 'dim' | 'error' | 'warning' | 'ok';
}

/**
 * `text` broken into pieces of at most `first` cells (the first piece) and `rest` (the
 * others), at the last space in the second half of the room when there is one, else in
 * the middle of a word: nothing is cut, nothing lost.
 */
export function wrapWords(text: string, first: number, rest = first): string[] {
  let chars = [...text];
  const out: string[] = [];
  let room = first;
  while (chars.length > room) {
    let take = room;
    const space = chars.lastIndexOf(' ', take);
    if (space > room / 2) take = space + 1;
    out.push(chars.slice(0, take).join('').trimEnd());
    chars = chars.slice(take);
    while (chars[0] === ' ') chars.shift();
    room = rest;
  }
  if (chars.length || !out.length) out.push(chars.join(''));
  return out;
}

/**
 * Lines longer than `width` cells broken into several (wrapWords), the continuations
 * indented by the line's own indent plus `indent`, so a narrow view cuts nothing. The role
 * goes with every piece.
 */
export function wrapTextLines(lines: readonly TextLine[], width: number, indent = 2): TextLine[] {
  if (width < 8) return [...lines];
  const out: TextLine[] = [];
  for (const l of lines) {
    if ([...l.text].length <= width) {
      out.push(l);
      continue;
    }
    const pad = ' '.repeat(Math.min(width / 2, (/^ */.exec(l.text)?.[0].length ?? 0) + indent));
    wrapWords(l.text, width, width - pad.length).forEach((piece, i) => out.push({ ...l, text: i === 0 ? piece : pad + piece }));
  }
  return out;
}
