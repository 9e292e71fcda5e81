/** A one-line progress bar on stderr with rate and ETA; plain lines when stderr is not a terminal or when asked. */
export class ProgressBar {
  private readonly started = Date.now();
  private lastPlainReport = 0;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly interactive = stream.isTTY,
  ) {}

  update(done: number, total: number): void {
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const rate = done / seconds;
    const fraction = total > 0 ? Math.min(done / total, 1) : 1;
    const eta = rate > 0 ? Math.max(total - done, 0) / rate : 0;
    const text = `${this.label} ${(fraction * 100).toFixed(1)}% ${done}/${total} ${Math.round(rate)} events/s ETA ${eta.toFixed(1)} s`;
    if (this.interactive) {
      const width = 30;
      const filled = Math.round(fraction * width);
      this.stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}`);
    } else if (Date.now() - this.lastPlainReport >= 1000 || done >= total) {
      this.lastPlainReport = Date.now();
      this.stream.write(`${text}\n`);
    }
  }

  finish(): void {
    if (this.interactive) this.stream.write('\n');
  }
}
