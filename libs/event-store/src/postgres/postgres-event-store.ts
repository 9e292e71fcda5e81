import type { Pool } from 'pg';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedVersion,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  RecordedEvent,
  Subscription,
  SubscriptionOptions,
  VerifyOptions,
  VerifyReport,
} from '../event-store';
import type { LogHead } from '../anchors';
import { PollingSubscription, type Wakeable } from '../polling-subscription';
import { appendInTransaction, appendToStream } from './append';
import { AppendNotifications } from './notify';
import { countEventsAfter, headPosition, readAll, readStream } from './read';
import { type BulkReadOptions, readAllBulk } from './read-bulk';
import { logHeadAsOf } from './log-head';
import { verifyHashChains } from './verify';
import { Upcasters } from '../upcasting';
import { WrongExpectedVersion } from '../errors';

export interface PostgresEventStoreOptions {
  /** LISTEN/NOTIFY channel that wakes subscribers after an append. */
  readonly channel?: string;
  /** Subscribers poll at least this often when no notification arrives (ms). */
  readonly pollIntervalMs?: number;
  /**
   * At most one NOTIFY per this many ms for subscribers in other processes (ms, default 10).
   * PostgreSQL gives a notifying transaction an xid, so each NOTIFY is a commit of its own;
   * one per append would cost as much as a second append.
   */
  readonly notifyIntervalMs?: number;
  /** Applied on every read (streams, `$all`, subscriptions, bulk reads); new events are stamped with their version. */
  readonly upcasters?: Upcasters;
}

/** One append as it ended: its duration until durable (the statement, or first append to commit), events and outcome. */
export interface AppendTiming {
  readonly seconds: number;
  readonly events: number;
  readonly outcome: 'appended' | 'duplicate' | 'conflict' | 'failed';
}

export interface EventStoreTransaction {
  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedVersion): Promise<AppendResult>;
  query<Row = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<Row[]>;
  /** Runs once the transaction has committed (not at all if it rolls back). */
  afterCommit(callback: () => void): void;
}

/** The event store on PostgreSQL: appending (./append), reading (./read), verifying (./verify), waking subscribers (./notify). */
export class PostgresEventStore implements EventStore {
  private readonly pollIntervalMs: number;
  private readonly notifications: AppendNotifications;
  private readonly upcasters: Upcasters;
  private readonly appendObservers = new Set<(timing: AppendTiming) => void>();

  constructor(
    private readonly pool: Pool,
    options: PostgresEventStoreOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.upcasters = options.upcasters ?? new Upcasters();
    this.notifications = new AppendNotifications(
      pool,
      options.channel ?? 'event_store_appended',
      this.pollIntervalMs,
      options.notifyIntervalMs ?? 10,
    );
  }

  /** Calls `observer` after every append (for the append-latency metric); returns the unsubscribe. */
  observeAppends(observer: (timing: AppendTiming) => void): () => void {
    this.appendObservers.add(observer);
    return () => this.appendObservers.delete(observer);
  }

  private observed(started: bigint, events: number, outcome: AppendTiming['outcome']): void {
    if (this.appendObservers.size === 0) return;
    const timing = { seconds: Number(process.hrtime.bigint() - started) / 1e9, events, outcome };
    for (const observer of this.appendObservers) observer(timing);
  }

  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedVersion): Promise<AppendResult> {
    const started = process.hrtime.bigint();
    let result: AppendResult;
    try {
      result = await appendToStream(
        this.pool,
        streamId,
        events.map((e) => this.upcasters.stamp(e)),
        expected,
      );
    } catch (error) {
      this.observed(started, events.length, error instanceof WrongExpectedVersion ? 'conflict' : 'failed');
      throw error;
    }
    this.observed(started, events.length, result.duplicate ? 'duplicate' : 'appended');
    if (!result.duplicate) this.notifications.signalAppended();
    return result;
  }

  /**
   * Runs `work` in one transaction: its appends (to any streams) and its other writes (such as a
   * uniqueness reservation) commit together or not at all. Subscribers are woken after the commit.
   */
  async transaction<T>(work: (tx: EventStoreTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let appended = false;
    let appending: { started: bigint; events: number } | undefined;
    const committed: (() => void)[] = [];
    try {
      await client.query('BEGIN');
      const tx: EventStoreTransaction = {
        append: async (streamId, events, expected) => {
          const stamped = events.map((e) => this.upcasters.stamp(e));
          appending = {
            started: appending?.started ?? process.hrtime.bigint(),
            events: (appending?.events ?? 0) + events.length,
          };
          const result = await appendInTransaction(client, streamId, stamped, expected);
          appended ||= !result.duplicate;
          return result;
        },
        query: async (text, values) => (await client.query(text, values as unknown[])).rows as never,
        afterCommit: (callback) => void committed.push(callback),
      };
      const result = await work(tx);
      await client.query('COMMIT');
      if (appending) this.observed(appending.started, appending.events, appended ? 'appended' : 'duplicate');
      if (appended) this.notifications.signalAppended();
      for (const callback of committed) callback();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (appending)
        this.observed(
          appending.started,
          appending.events,
          error instanceof WrongExpectedVersion ? 'conflict' : 'failed',
        );
      throw error;
    } finally {
      client.release();
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    return (await readStream(this.pool, streamId, options)).map((event) => this.upcasters.upcast(event));
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const page = await readAll(this.pool, options);
    return { ...page, events: page.events.map((event) => this.upcasters.upcast(event)) };
  }

  headPosition(): Promise<bigint> {
    return headPosition(this.pool);
  }

  /** The final events after a position, in pages, through one COPY (rebuilds). */
  async *readBulk(options: BulkReadOptions): AsyncGenerator<RecordedEvent[]> {
    for await (const page of readAllBulk(this.pool, options)) yield page.map((event) => this.upcasters.upcast(event));
  }

  subscribe(options: SubscriptionOptions): Subscription {
    if (this.notifications.isClosed) throw new Error('event store is closed');
    const subscription = new PollingSubscription(this, options, this.pollIntervalMs, (self) =>
      this.notifications.delete(self),
    );
    this.notifications.add(subscription);
    return subscription;
  }

  verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    return verifyHashChains(this.pool, options);
  }

  /** The log as of `position` (default: the head) for a signed anchor (ADR 0014). */
  async logHead(position?: bigint): Promise<LogHead> {
    return logHeadAsOf(this.pool, position ?? (await headPosition(this.pool)));
  }

  /**
   * Calls `listener` after appends by this process (at once) or by others (on their NOTIFY); the
   * listener should then read: the store's polling fallback covers lost notifications only for
   * subscriptions, so callers keep their own idle timer. Returns an unsubscribe function.
   */
  onAppended(listener: () => void): () => void {
    const wakeable: Wakeable = { wake: listener, stop: () => Promise.resolve() };
    this.notifications.add(wakeable);
    return () => this.notifications.delete(wakeable);
  }

  /** Events after `position` in the log (for progress bars and lag; a count, so not free on huge logs). */
  countEventsAfter(position: bigint): Promise<number> {
    return countEventsAfter(this.pool, position);
  }

  close(): Promise<void> {
    return this.notifications.close();
  }
}
