// Parses one rendered line (text with SGR escape sequences, as Ink produces) into cells:
// one entry per terminal column, each with its character and the SGR style it is drawn in.
import stringWidth from 'string-width';

export interface Cell {
  /** The character(s) in this column; '' for the second column of a wide character. */
  ch: string;
  /** SGR parameters that draw this cell from a reset state, e.g. "1;36", or '' for plain. */
  style: string;
}

const ESC = '\x1b';

/** Applies SGR parameters to a style: an ordered map of attribute group -> parameter text. */
function applySgr(style: Map<string, string>, params: string): void {
  const parts = params === '' ? ['0'] : params.split(';');
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const n = Number(p);
    if (n === 0 || p === '') style.clear();
    else if (n === 1) style.set('bold', '1');
    else if (n === 2) style.set('dim', '2');
    else if (n === 3) style.set('italic', '3');
    else if (n === 4) style.set('underline', '4');
    else if (n === 5) style.set('blink', '5');
    else if (n === 7) style.set('inverse', '7');
    else if (n === 8) style.set('hidden', '8');
    else if (n === 9) style.set('strike', '9');
    else if (n === 22) {
      style.delete('bold');
      style.delete('dim');
    } else if (n === 23) style.delete('italic');
    else if (n === 24) style.delete('underline');
    else if (n === 25) style.delete('blink');
    else if (n === 27) style.delete('inverse');
    else if (n === 28) style.delete('hidden');
    else if (n === 29) style.delete('strike');
    else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) style.set('fg', p);
    else if (n === 39) style.delete('fg');
    else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) style.set('bg', p);
    else if (n === 49) style.delete('bg');
    else if (n === 38 || n === 48) {
      // 38;5;N or 38;2;R;G;B
      const mode = parts[i + 1];
      const take = mode === '5' ? 2 : mode === '2' ? 4 : 0;
      style.set(n === 38 ? 'fg' : 'bg', parts.slice(i, i + 1 + take).join(';'));
      i += take;
    }
  }
}

/** Column widths of non-ASCII characters, cached: string-width is costly per call. */
const widths = new Map<string, number>();
export function widthOf(text: string): number {
  let w = widths.get(text);
  if (w === undefined) {
    w = stringWidth(text);
    if (widths.size < 4096) widths.set(text, w);
  }
  return w;
}

function styleKey(style: Map<string, string>): string {
  if (style.size === 0) return '';
  return [...style.values()].join(';');
}

/** Splits `line` into exactly `width` cells (padding with plain spaces, cutting overflow). */
export function parseLine(line: string, width: number): Cell[] {
  const cells: Cell[] = [];
  const style = new Map<string, string>();
  let key = '';
  let i = 0;
  while (i < line.length && cells.length < width) {
    const ch = line[i]!;
    if (ch === ESC) {
      if (line[i + 1] === '[') {
        let j = i + 2;
        while (j < line.length && !/[@-~]/.test(line[j]!)) j++;
        if (line[j] === 'm') {
          applySgr(style, line.slice(i + 2, j));
          key = styleKey(style);
        }
        i = j + 1;
      } else if (line[i + 1] === ']') {
        // OSC (e.g. hyperlinks): skip to BEL or ST.
        let j = i + 2;
        while (j < line.length && line[j] !== '\x07' && !(line[j] === ESC && line[j + 1] === '\\')) j++;
        i = line[j] === '\x07' ? j + 1 : j + 2;
      } else {
        i += 2;
      }
      continue;
    }
    const cp = line.codePointAt(i)!;
    const text = String.fromCodePoint(cp);
    i += text.length;
    if (cp < 0x20) continue;
    if (cp < 0x7f) {
      cells.push({ ch: text, style: key });
      continue;
    }
    const w = widthOf(text);
    if (w === 0) {
      // Combining mark: attach to the previous cell.
      const prev = cells[cells.length - 1];
      if (prev) prev.ch += text;
      continue;
    }
    if (w === 2 && cells.length + 2 > width) break;
    cells.push({ ch: text, style: key });
    if (w === 2) cells.push({ ch: '', style: key });
  }
  while (cells.length < width) cells.push({ ch: ' ', style: '' });
  return cells;
}
