import { Client, type Pool, type PoolClient } from 'pg';
import { InvalidAppend } from '../errors';
import type {
  AppendResult,
  BrokenLink,
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
import { chainHash, contentDigest, GENESIS_HASH } from '../hash-chain';
import { EVENT_COLUMNS, toRecordedEvent, type EventRow } from './rows';
import { appendError } from './sql-errors';
import { appendSingle } from './single-append';
import { PollingSubscription, type Wakeable } from '../polling-subscription';

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
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_READ_LIMIT = 1000;
const MAX_READ_LIMIT = 10_000;
const VERIFY_PAGE = 5000;

function expectation(expected: ExpectedVersion): [kind: string, version: number | null, label: string] {
  if (typeof expected === 'number') {
    if (!Number.isSafeInteger(expected) || expected < 0) {
      throw new InvalidAppend(`expected version must be a non-negative integer, got ${expected}`);
    }
    return ['exact', expected, String(expected)];
  }
  return [expected, null, expected];
}

function validated(streamId: string, events: readonly EventToAppend[]): void {
  if (streamId.length === 0 || streamId.length > 200) {
    throw new InvalidAppend('stream id must have 1 to 200 characters');
  }
  if (events.length === 0) throw new InvalidAppend(`stream ${streamId}: nothing to append`);
  const ids = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) throw new InvalidAppend(`stream ${streamId}: event id ${event.id} is not a UUID`);
    if (ids.has(event.id.toLowerCase()))
      throw new InvalidAppend(`stream ${streamId}: event id ${event.id} appears twice`);
    ids.add(event.id.toLowerCase());
    if (event.type.length === 0) throw new InvalidAppend(`stream ${streamId}: event type is empty`);
    if (typeof event.data !== 'object' || event.data === null || Array.isArray(event.data)) {
      throw new InvalidAppend(`stream ${streamId}: event data must be a JSON object`);
    }
  }
}

export interface EventStoreTransaction {
  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedVersion): Promise<AppendResult>;
  query<Row = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<Row[]>;
  /** Runs once the transaction has committed (not at all if it rolls back). */
  afterCommit(callback: () => void): void;
}

type Queryable = Pick<Pool, 'query'> | Pick<PoolClient, 'query'>;

/** An event as both append paths store it: lower-case id, metadata defaulted, content digest. */
function prepared(streamId: string, event: EventToAppend) {
  const metadata = event.metadata ?? {};
  const id = event.id.toLowerCase();
  const digest = contentDigest({ streamId, id, type: event.type, data: event.data, metadata }).toString('hex');
  return { id, type: event.type, data: event.data, metadata, digest };
}

async function appendWith(
  db: Queryable,
  streamId: string,
  events: readonly EventToAppend[],
  expected: ExpectedVersion,
): Promise<AppendResult> {
  validated(streamId, events);
  const [kind, version, label] = expectation(expected);
  const payload = events.map((event) => prepared(streamId, event));
  type Row = { outcome: string; stream_version: string; first_position: string; last_position: string };
  let row: Row;
  try {
    const result = await db.query<Row>({
      name: 'event_store_append',
      text: 'SELECT outcome, stream_version, first_position, last_position FROM event_store.append($1, $2, $3, $4)',
      values: [streamId, kind, version, JSON.stringify(payload)],
    });
    row = result.rows[0]!;
  } catch (error) {
    throw appendError(error, streamId, label);
  }
  return {
    streamVersion: Number(row.stream_version),
    firstPosition: BigInt(row.first_position),
    position: BigInt(row.last_position),
    duplicate: row.outcome === 'duplicate',
  };
}

export class PostgresEventStore implements EventStore {
  private readonly channel: string;
  private readonly pollIntervalMs: number;
  private readonly subscriptions = new Set<Wakeable>();
  private listener: Client | undefined;
  private listenerRetry: NodeJS.Timeout | undefined;
  private readonly notifyIntervalMs: number;
  private notifying: Promise<void> | undefined;
  private notifyWindow: NodeJS.Timeout | undefined;
  private notifyPending = false;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    options: PostgresEventStoreOptions = {},
  ) {
    this.channel = options.channel ?? 'event_store_appended';
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.notifyIntervalMs = options.notifyIntervalMs ?? 10;
  }

  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedVersion): Promise<AppendResult> {
    const result =
      events.length === 1
        ? await this.appendOne(streamId, events[0]!, expected)
        : await appendWith(this.pool, streamId, events, expected);
    if (!result.duplicate) this.signalAppended();
    return result;
  }

  private async appendOne(streamId: string, event: EventToAppend, expected: ExpectedVersion): Promise<AppendResult> {
    validated(streamId, [event]);
    const [, , label] = expectation(expected);
    const { id, type, data, metadata, digest } = prepared(streamId, event);
    try {
      return await appendSingle(
        this.pool,
        streamId,
        { id, type, data: JSON.stringify(data), metadata: JSON.stringify(metadata), digestHex: digest },
        expected,
      );
    } catch (error) {
      throw appendError(error, streamId, label);
    }
  }

  /**
   * Runs `work` in one transaction: its appends (to any streams) and its other writes (such as a
   * uniqueness reservation) commit together or not at all. Subscribers are woken after the commit.
   */
  async transaction<T>(work: (tx: EventStoreTransaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let appended = false;
    const committed: (() => void)[] = [];
    try {
      await client.query('BEGIN');
      const tx: EventStoreTransaction = {
        append: async (streamId, events, expected) => {
          const result = await appendWith(client, streamId, events, expected);
          appended ||= !result.duplicate;
          return result;
        },
        query: async (text, values) => (await client.query(text, values as unknown[])).rows as never,
        afterCommit: (callback) => void committed.push(callback),
      };
      const result = await work(tx);
      await client.query('COMMIT');
      if (appended) this.signalAppended();
      for (const callback of committed) callback();
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events
       WHERE stream_id = $1 AND stream_version >= $2 AND ($3::bigint IS NULL OR stream_version <= $3)
         AND ($4::timestamptz IS NULL OR date_trunc('milliseconds', recorded_at) <= $4)
       ORDER BY stream_version`,
      [streamId, options.fromVersion ?? 1, options.toVersion ?? null, options.recordedUpTo ?? null],
    );
    return rows.map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_READ_LIMIT), 1), MAX_READ_LIMIT);
    const after = options.after ?? 0n;
    const horizon = await this.readHorizon();
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM event_store.events
       WHERE position > $1 AND position < $2
         AND ($4::text[] IS NULL OR category = ANY($4))
         AND ($5::text[] IS NULL OR event_type = ANY($5))
       ORDER BY position LIMIT $3`,
      [after.toString(), horizon.toString(), limit, options.categories ?? null, options.types ?? null],
    );
    const events = rows.map(toRecordedEvent);
    const caughtUp = events.length < limit;
    const lastRead = events.length > 0 ? events[events.length - 1]!.position : after;
    const safe = horizon - 1n;
    const checkpoint = caughtUp && safe > lastRead ? safe : lastRead;
    return { events, checkpoint, caughtUp };
  }

  async headPosition(): Promise<bigint> {
    const horizon = await this.readHorizon();
    const { rows } = await this.pool.query<{ head: string | null }>(
      `SELECT max(position) AS head FROM event_store.events WHERE position < $1`,
      [horizon.toString()],
    );
    return BigInt(rows[0]!.head ?? 0);
  }

  /**
   * Every event below this position is final (ADR 0003). It must be read in an earlier statement
   * than the events it bounds: see migrations/1732300200000_database-horizon.sql.
   */
  private async readHorizon(): Promise<bigint> {
    const { rows } = await this.pool.query<{ horizon: string }>(`SELECT event_store.read_horizon() AS horizon`);
    return BigInt(rows[0]!.horizon);
  }

  subscribe(options: SubscriptionOptions): Subscription {
    if (this.closed) throw new Error('event store is closed');
    const subscription = new PollingSubscription(this, options, this.pollIntervalMs, (self) =>
      this.subscriptions.delete(self),
    );
    this.subscriptions.add(subscription);
    this.ensureListening();
    return subscription;
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    const total = Number(
      (await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM event_store.events')).rows[0]!.n,
    );
    const broken: BrokenLink[] = [];
    const brokenStreams = new Set<string>();
    let streamsChecked = 0;
    let eventsChecked = 0;
    let current: { streamId: string; version: number; hash: Buffer } | undefined;

    const closeStream = async (stream: { streamId: string; version: number; hash: Buffer }): Promise<void> => {
      streamsChecked += 1;
      if (brokenStreams.has(stream.streamId)) return;
      const { rows } = await this.pool.query<{ version: string; last_hash: Buffer }>(
        'SELECT version, last_hash FROM event_store.streams WHERE stream_id = $1',
        [stream.streamId],
      );
      const head = rows[0];
      if (!head || Number(head.version) !== stream.version || !head.last_hash.equals(stream.hash)) {
        broken.push({
          streamId: stream.streamId,
          streamVersion: stream.version + 1,
          reason: head
            ? `stream head says version ${head.version}; the chain ends at version ${stream.version}`
            : 'events without a stream head',
        });
      }
    };

    let cursor: [string, string] | undefined;
    for (;;) {
      const { rows } = await this.pool.query<EventRow & { recorded_micros: string }>(
        `SELECT ${EVENT_COLUMNS}, (extract(epoch FROM recorded_at) * 1000000)::bigint AS recorded_micros
         FROM event_store.events
         WHERE $1::text IS NULL OR (stream_id, stream_version) > ($1, $2::bigint)
         ORDER BY stream_id, stream_version LIMIT ${VERIFY_PAGE}`,
        cursor ?? [null, null],
      );
      for (const row of rows) {
        const version = Number(row.stream_version);
        if (current?.streamId !== row.stream_id) {
          if (current) await closeStream(current);
          current = { streamId: row.stream_id, version: 0, hash: GENESIS_HASH };
        }
        eventsChecked += 1;
        if (brokenStreams.has(row.stream_id)) continue;
        const link = {
          streamId: row.stream_id,
          streamVersion: version,
          position: BigInt(row.position),
          eventId: row.event_id,
        };
        if (version !== current.version + 1) {
          broken.push({ ...link, reason: `version ${current.version + 1} is missing` });
          brokenStreams.add(row.stream_id);
          continue;
        }
        const digest = contentDigest({
          streamId: row.stream_id,
          id: row.event_id,
          type: row.event_type,
          data: row.data,
          metadata: row.metadata,
        });
        const expected = chainHash(current.hash, {
          digest,
          streamVersion: version,
          position: link.position,
          recordedAtMicros: BigInt(row.recorded_micros),
        });
        const stored = Buffer.from(row.hash, 'hex');
        if (!expected.equals(stored)) {
          broken.push({ ...link, reason: 'hash does not match the event and its predecessor' });
          brokenStreams.add(row.stream_id);
          continue;
        }
        current = { streamId: row.stream_id, version, hash: stored };
      }
      options.onProgress?.(eventsChecked, total);
      if (rows.length < VERIFY_PAGE) break;
      const last = rows[rows.length - 1]!;
      cursor = [last.stream_id, last.stream_version];
    }
    if (current) await closeStream(current);

    const orphans = await this.pool.query<{ stream_id: string; version: string }>(
      `SELECT s.stream_id, s.version FROM event_store.streams s
       WHERE s.version > 0 AND NOT EXISTS (SELECT 1 FROM event_store.events e WHERE e.stream_id = s.stream_id)`,
    );
    for (const orphan of orphans.rows) {
      streamsChecked += 1;
      broken.push({ streamId: orphan.stream_id, streamVersion: 1, reason: `all ${orphan.version} events are missing` });
    }
    return { ok: broken.length === 0, streamsChecked, eventsChecked, brokenLinks: broken };
  }

  /**
   * Calls `listener` after appends by this process (at once) or by others (on their NOTIFY); the
   * listener should then read: the store's polling fallback covers lost notifications only for
   * subscriptions, so callers keep their own idle timer. Returns an unsubscribe function.
   */
  onAppended(listener: () => void): () => void {
    const wakeable: Wakeable = { wake: listener, stop: () => Promise.resolve() };
    this.subscriptions.add(wakeable);
    this.ensureListening();
    return () => {
      this.subscriptions.delete(wakeable);
    };
  }

  /** Events after `position` in the log (for progress bars and lag; a count, so not free on huge logs). */
  async countEventsAfter(position: bigint): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM event_store.events WHERE position > $1',
      [position.toString()],
    );
    return Number(rows[0]!.n);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.stop()));
    clearTimeout(this.listenerRetry);
    clearTimeout(this.notifyWindow);
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.notifying;
  }

  /**
   * After a commit: subscribers in this process are woken at once; other processes get a NOTIFY,
   * the first of a burst immediately and then at most one per `notifyIntervalMs` (ADR 0003).
   */
  private signalAppended(): void {
    for (const subscription of this.subscriptions) subscription.wake();
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
        this.signalAppended();
      }
    }, this.notifyIntervalMs);
    this.notifyWindow.unref();
  }

  private ensureListening(): void {
    if (this.listener || this.closed) return;
    const listener = new Client(this.pool.options);
    this.listener = listener;
    const retry = (): void => {
      if (this.listener !== listener) return;
      this.listener = undefined;
      listener.end().catch(() => undefined);
      if (!this.closed && this.subscriptions.size > 0) {
        this.listenerRetry = setTimeout(() => this.ensureListening(), this.pollIntervalMs);
      }
    };
    listener.on('notification', () => {
      for (const subscription of this.subscriptions) subscription.wake();
    });
    listener.on('error', retry);
    listener.on('end', retry);
    listener
      .connect()
      .then(() => listener.query(`LISTEN ${listener.escapeIdentifier(this.channel)}`))
      .catch(retry);
  }
}
