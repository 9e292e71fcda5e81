import type { EventStore, Subscription, SubscriptionOptions } from './event-store';

export interface Wakeable {
  wake(): void;
  stop(): Promise<void>;
}

/** After a wake-up or a delivery, re-read this soon: a late commit may be about to lift the horizon. */
const FIRST_RETRY_MS = 2;

/**
 * Catch-up then live delivery over `readAll`. Correct ordering comes from readAll itself, which
 * never returns an event while an earlier position may still commit; this loop only decides when
 * to read again: at once while pages are full, soon after a notification, and on a back-off up to
 * the poll interval otherwise (the fallback when notifications are lost).
 */
export class PollingSubscription implements Subscription, Wakeable {
  readonly done: Promise<void>;
  private position: bigint;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private woken = false;

  constructor(
    private readonly store: Pick<EventStore, 'readAll'>,
    private readonly options: SubscriptionOptions,
    private readonly pollIntervalMs: number,
    private readonly onEnd: (self: PollingSubscription) => void,
  ) {
    this.position = options.after ?? 0n;
    this.done = this.run().finally(() => this.onEnd(this));
    // A failed handler must not crash the process when nobody awaits `done`; it still rejects.
    this.done.catch(() => undefined);
  }

  get checkpoint(): bigint {
    return this.position;
  }

  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    const batchSize = this.options.batchSize ?? 500;
    let delay = this.pollIntervalMs;
    while (!this.stopped) {
      let page;
      try {
        page = await this.store.readAll({
          after: this.position,
          limit: batchSize,
          categories: this.options.categories,
          types: this.options.types,
        });
      } catch {
        // The database is away: keep the checkpoint and try again on the poll interval.
        await this.pause(this.pollIntervalMs);
        continue;
      }
      if (this.stopped) break;
      if (page.events.length > 0) await this.options.handle(page.events, page.checkpoint);
      this.position = page.checkpoint;
      if (!page.caughtUp) continue;
      if (page.events.length > 0) delay = FIRST_RETRY_MS;
      const woken = await this.pause(delay);
      delay = woken ? FIRST_RETRY_MS : Math.min(delay * 2, this.pollIntervalMs);
    }
  }

  /** Resolves true when woken by a notification, false when the delay ran out. */
  private pause(ms: number): Promise<boolean> {
    if (this.woken || this.stopped) {
      this.woken = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = undefined;
        resolve(false);
      }, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        this.woken = false;
        resolve(true);
      };
    });
  }
}
