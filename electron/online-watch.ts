/**
 * Electron's main process has no online/offline event, only net.isOnline() (Chromium's view of
 * the OS's network state). This asks it every few seconds and reports each change; the cost is
 * one flag read.
 */
export class OnlineWatch {
  private last: boolean;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly isOnline: () => boolean,
    private readonly onChange: (online: boolean) => void,
    intervalMs = 3000,
  ) {
    this.last = isOnline();
    this.timer = setInterval(() => this.check(), intervalMs);
    this.timer.unref();
  }

  /** Reads the state now; the timer calls it, and so may a test. */
  check(): void {
    const online = this.isOnline();
    if (online === this.last) return;
    this.last = online;
    this.onChange(online);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
