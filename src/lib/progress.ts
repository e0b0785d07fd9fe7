// Progress of a long copy (backups, restores) as one line: bytes, of how many, the rate
// over the last seconds and the time left. Pure; the command line and the dashboard's status
// line draw it.
import { bytes } from './format.js';

export interface ProgressSample {
  bytes: number;
  /** the whole, when known */
  total?: number;
}

/** Keeps the last few seconds of samples for a steady rate. */
export class ProgressMeter {
  private readonly samples: Array<{ t: number; bytes: number }> = [];
  constructor(private readonly windowMs = 5000) {}

  /** The line for a sample taken at `now` (ms). */
  line(s: ProgressSample, now = Date.now()): string {
    this.samples.push({ t: now, bytes: s.bytes });
    while (this.samples.length > 2 && now - this.samples[0]!.t > this.windowMs) this.samples.shift();
    const first = this.samples[0]!;
    const dt = (now - first.t) / 1000;
    const rate = dt > 0.2 ? (s.bytes - first.bytes) / dt : null;
    return progressText(s, rate);
  }
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "1.2G of 3.4G (35%), 45M/s, 0:49 left"; without a total or a rate, what is known. */
export function progressText(s: ProgressSample, rate: number | null): string {
  const parts: string[] = [];
  const known = s.total !== undefined && s.total > 0;
  parts.push(known ? `${bytes(s.bytes)} of ${bytes(s.total!)} (${Math.min(100, Math.floor((s.bytes / s.total!) * 100))}%)` : bytes(s.bytes));
  if (rate !== null && rate > 0) {
    parts.push(`${bytes(rate)}/s`);
    if (known && s.total! > s.bytes) parts.push(`${clock((s.total! - s.bytes) / rate)} left`);
  }
  return parts.join(', ');
}

/**
 * Draws progress on a stream: on a terminal one line redrawn in place (at most 5 times a
 * second); elsewhere a plain line at each tenth of the total (or every 256 MiB without one).
 */
export class ProgressPrinter {
  private readonly meter = new ProgressMeter();
  private lastDraw = -Infinity;
  private lastStep = -1;
  private open = false;

  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) {}

  update(label: string, s: ProgressSample, now = Date.now()): void {
    const text = `${label} ${this.meter.line(s, now)}`;
    if (this.out.isTTY) {
      if (now - this.lastDraw < 200 && !(s.total && s.bytes >= s.total)) return;
      this.lastDraw = now;
      const width = Math.max(20, (this.out.columns ?? 80) - 1);
      this.out.write(`\r${text.slice(0, width)}\x1b[K`);
      this.open = true;
      return;
    }
    const step = s.total ? Math.floor((s.bytes / s.total) * 10) : Math.floor(s.bytes / (256 << 20));
    if (step === this.lastStep) return;
    this.lastStep = step;
    this.out.write(`${text}\n`);
  }

  /** Ends the progress line (before other output). */
  done(): void {
    if (this.open) this.out.write('\n');
    this.open = false;
    this.lastStep = -1;
  }
}
