import { AsyncResource } from 'node:async_hooks';
import { Client, type Pool } from 'pg';
import type { Wakeable } from '../polling-subscription';

/**
 * Wakes whoever waits for new events: in this process at once after an append, in other processes
 * through LISTEN/NOTIFY on one channel. The listening connection is opened while anyone waits and
 * re-opened after it fails; subscribers poll meanwhile.
 */
export class AppendNotifications {
  private readonly waiting = new Set<Wakeable>();
  private listener: Client | undefined;
  private listenerRetry: NodeJS.Timeout | undefined;
  private notifying: Promise<void> | undefined;
  private notifyWindow: NodeJS.Timeout | undefined;
  private notifyPending = false;
  private closed = false;
  /**
   * Wake-ups and NOTIFYs run in the context this object was made in, not in the request that
   * appended: otherwise a trace (or any async-local state) of that request would own the
   * subscribers' reads and the throttled NOTIFYs that follow it.
   */
  private readonly scope = new AsyncResource('registry.append-notifications');

  constructor(
    private readonly pool: Pool,
    private readonly channel: string,
    private readonly retryMs: number,
    private readonly notifyIntervalMs: number,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  add(wakeable: Wakeable): void {
    this.waiting.add(wakeable);
    this.ensureListening();
  }

  delete(wakeable: Wakeable): void {
    this.waiting.delete(wakeable);
  }

  /**
   * After a commit: waiters in this process are woken at once; other processes get a NOTIFY,
   * the first of a burst immediately and then at most one per `notifyIntervalMs` (ADR 0003).
   */
  signalAppended(): void {
    this.scope.runInAsyncScope(() => this.signal());
  }

  private signal(): void {
    this.wakeAll();
    if (this.closed) return;
    if (this.notifyWindow) {
      this.notifyPending = true;
      return;
    }
    this.notifying = this.pool
      .query('SELECT pg_notify($1, $2)', [this.channel, ''])
      .then(
        () => undefined,
        () => undefined,
      ) // subscribers fall back to polling
      .finally(() => (this.notifying = undefined));
    this.notifyWindow = setTimeout(() => {
      this.notifyWindow = undefined;
      if (this.notifyPending) {
        this.notifyPending = false;
        this.signal();
      }
    }, this.notifyIntervalMs);
    this.notifyWindow.unref();
  }

  /** Stops every waiter, the listening connection and the notification timer. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.waiting].map((wakeable) => wakeable.stop()));
    clearTimeout(this.listenerRetry);
    clearTimeout(this.notifyWindow);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.notifying;
  }

  private wakeAll(): void {
    for (const wakeable of this.waiting) wakeable.wake();
  }

  private ensureListening(): void {
    if (this.listener || this.closed) return;
    const listener = new Client(this.pool.options);
    this.listener = listener;
    const retry = (): void => {
      if (this.listener !== listener) return;
      this.listener = undefined;
      listener.end().catch(() => undefined);
      if (!this.closed && this.waiting.size > 0) {
        this.listenerRetry = setTimeout(() => this.ensureListening(), this.retryMs);
      }
    };
    listener.on('notification', () => this.wakeAll());
    listener.on('error', retry);
    listener.on('end', retry);
    listener
      .connect()
      .then(() => listener.query(`LISTEN ${listener.escapeIdentifier(this.channel)}`))
      .catch(retry);
  }
}
