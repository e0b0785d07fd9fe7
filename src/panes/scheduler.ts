// Runs a frame callback when something changed, at most `maxFps` times a second. After user
// input the next frame is drawn at once (expedite), so a keystroke's echo never waits for
// the next slot of a slow tick.
export class FrameScheduler {
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private last = 0;
  private urgentUntil = 0;
  private stopped = false;
  private readonly interval: number;
  frames = 0;

  constructor(
    private readonly frame: () => void,
    maxFps = 30,
  ) {
    this.interval = 1000 / maxFps;
  }

  /** Something changed: draw it now or at the next slot. */
  request(): void {
    if (this.stopped || this.immediate) return;
    const now = Date.now();
    if (now < this.urgentUntil || now - this.last >= this.interval) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      this.immediate = setImmediate(() => this.run());
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => this.run(), this.last + this.interval - now);
  }

  /** The next change within `ms` is drawn without waiting for a slot (the user typed). */
  expedite(ms = 100): void {
    this.urgentUntil = Date.now() + ms;
  }

  private run(): void {
    this.immediate = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped) return;
    const now = Date.now();
    // An expedited frame ends the urgency: a flood of output after it is paced again.
    if (now < this.urgentUntil) this.urgentUntil = 0;
    this.last = now;
    this.frames++;
    this.frame();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
  }
}
