// A bounded buffer of log lines: at most `max` lines are kept, the oldest go first.
// Lines from several containers (project logs) are kept in time order. No React.

export interface LogLine {
  /** ms since epoch from the engine's timestamp (0 when unknown). */
  t: number;
  /** The engine's timestamp text (RFC 3339 with nanoseconds). */
  ts: string;
  text: string;
  stream: 'stdout' | 'stderr';
  /** Index of the container in the session's sources (project logs), else 0. */
  source: number;
}

export class LogBuffer {
  private lines: LogLine[] = [];
  private start = 0;
  /** Bumped on every change; views compare it to know when to redraw. */
  version = 0;
  /** Lines dropped to keep the bound. */
  dropped = 0;
  /** Lines ever added. */
  total = 0;

  constructor(public max: number) {}

  get length(): number {
    return this.lines.length - this.start;
  }

  at(i: number): LogLine {
    return this.lines[this.start + i]!;
  }

  /**
   * Appends lines. Lines older than the last one (another container of a project, or the
   * other stream) are merged in where their time puts them: the batch is merged with the
   * newer tail only, so a flood from several containers costs O(tail + batch), not a
   * splice per line.
   */
  append(batch: LogLine[]): void {
    if (!batch.length) return;
    let sorted = true;
    for (let k = 1; k < batch.length && sorted; k++) if (batch[k]!.t < batch[k - 1]!.t) sorted = false;
    const lines = sorted ? batch : [...batch].sort((a, b) => a.t - b.t);
    const first = lines[0]!;
    const n = this.lines.length;
    if (n === this.start || first.t === 0 || this.lines[n - 1]!.t <= first.t) {
      for (const l of lines) this.lines.push(l);
    } else {
      let i = n;
      while (i > this.start && this.lines[i - 1]!.t > first.t) i--;
      const tail = this.lines.splice(i);
      let a = 0;
      let b = 0;
      while (a < tail.length || b < lines.length) {
        // Equal times: what was there first stays first.
        if (b >= lines.length || (a < tail.length && tail[a]!.t <= lines[b]!.t)) this.lines.push(tail[a++]!);
        else this.lines.push(lines[b++]!);
      }
    }
    this.total += batch.length;
    const excess = this.length - this.max;
    if (excess > 0) {
      this.start += excess;
      this.dropped += excess;
    }
    // Compact now and then so the array does not grow without bound.
    if (this.start > 1024 && this.start > this.max / 2) {
      this.lines = this.lines.slice(this.start);
      this.start = 0;
    }
    this.version++;
  }

  clear(): void {
    this.lines = [];
    this.start = 0;
    this.version++;
  }

  /** All lines, oldest first (a copy). */
  toArray(): LogLine[] {
    return this.lines.slice(this.start);
  }
}
