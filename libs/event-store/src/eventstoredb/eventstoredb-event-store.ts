import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  type Position,
  type ResolvedEvent,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type {
  AppendResult,
  BrokenLink,
  EventStore,
  EventToAppend,
  ExpectedVersion,
  JsonObject,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  RecordedEvent,
  Subscription,
  SubscriptionOptions,
  VerifyOptions,
  VerifyReport,
} from '../event-store';
import { EventIdConflict, InvalidAppend, WrongExpectedVersion } from '../errors';
import { chainHash, contentDigest, GENESIS_HASH } from '../hash-chain';
import { PollingSubscription, type Wakeable } from '../polling-subscription';

/** Metadata keys the adapter keeps for itself; stripped before events are handed out. */
const HASH_KEY = '$registry.hash';
/** Reservation streams: `reservation-<key>`, appended with no-stream (ADR 0010). */
const RESERVATION_PREFIX = 'reservation-';
const EVENT_ID_RESERVATION = 'event-id:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface EventStoreDbOptions {
  /** How often subscribers re-read when no live notification arrives (ms). */
  readonly pollIntervalMs?: number;
}

/** The reservation already belongs to someone else. */
export class ReservationTaken extends Error {
  override readonly name = 'ReservationTaken';

  constructor(
    readonly key: string,
    readonly owner: string,
  ) {
    super(`${key} is already reserved by ${owner}`);
  }
}

/**
 * The EventStoreDB/KurrentDB adapter of the port (ADR 0010).
 *
 * Positions: the event's prepare position in `$all`. Appends through gRPC are never interleaved,
 * so prepare positions grow in `$all` order and each event has its own.
 *
 * Hash chain: the same content digest as PostgreSQL, chained over the stream version; the server
 * assigns position and time after the hash is fixed, so those two are covered by the server's own
 * transaction log rather than by the chain. The hash travels in the event's metadata.
 *
 * Idempotency: every event id is reserved (a `reservation-event-id:<id>` stream appended with
 * no-stream) before the append; a retry finds its own reservation and its events in the stream.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly pollIntervalMs: number;
  private readonly subscriptions = new Set<Wakeable>();
  private liveFeed: { unsubscribe(): Promise<void> } | undefined;
  private closed = false;

  constructor(connectionString: string, options: EventStoreDbOptions = {}) {
    this.client = EventStoreDBClient.connectionString(connectionString);
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
  }

  /**
   * Claims `key` for `owner` for ever: the first claim wins. Claiming again for the same owner is a
   * no-op (a retry); for another owner it throws `ReservationTaken`.
   */
  async reserve(key: string, owner: string): Promise<void> {
    const stream = RESERVATION_PREFIX + key;
    try {
      await this.client.appendToStream(stream, jsonEvent({ type: 'Reserved', data: { owner } }), {
        expectedRevision: NO_STREAM,
      });
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) throw error;
      const holder = await this.reservationOwner(stream);
      if (holder !== owner) throw new ReservationTaken(key, holder ?? '(unknown)');
    }
  }

  private async reservationOwner(stream: string): Promise<string | undefined> {
    for await (const resolved of this.client.readStream(stream, {
      direction: FORWARDS,
      fromRevision: START,
      maxCount: 1,
    })) {
      const data = resolved.event?.data as { owner?: string } | undefined;
      return data?.owner;
    }
    return undefined;
  }

  async append(streamId: string, events: readonly EventToAppend[], expected: ExpectedVersion): Promise<AppendResult> {
    validate(streamId, events);
    for (const event of events) {
      try {
        await this.reserve(EVENT_ID_RESERVATION + event.id.toLowerCase(), streamId);
      } catch (error) {
        if (error instanceof ReservationTaken) throw new EventIdConflict(streamId);
        throw error;
      }
    }
    for (;;) {
      const stored = await this.readStream(streamId);
      const retried = retriedAppend(streamId, stored, events);
      if (retried) return retried;
      const version = stored.length;
      checkExpected(streamId, expected, version);
      const head = stored.at(-1);
      let previous: Buffer = head ? Buffer.from(head.hash, 'hex') : GENESIS_HASH;
      const written = events.map((event, i) => {
        const metadata = event.metadata ?? {};
        previous = chainHash(previous, {
          digest: contentDigest({ streamId, id: event.id.toLowerCase(), type: event.type, data: event.data, metadata }),
          streamVersion: version + i + 1,
          position: 0n,
          recordedAtMicros: 0n,
        });
        return jsonEvent({
          id: event.id.toLowerCase(),
          type: event.type,
          data: event.data,
          metadata: { ...metadata, [HASH_KEY]: previous.toString('hex') },
        });
      });
      try {
        // The revision just read is what the chain was computed on: a concurrent writer makes this fail and we re-read.
        const result = await this.client.appendToStream(streamId, written, {
          expectedRevision: version === 0 ? NO_STREAM : BigInt(version - 1),
        });
        const after = await this.readStream(streamId, { fromVersion: version + 1 });
        return {
          streamVersion: Number(result.nextExpectedRevision) + 1,
          firstPosition: after[0]?.position ?? 0n,
          position: after.at(-1)?.position ?? 0n,
          duplicate: false,
        };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        if (expected !== 'any' && expected !== 'stream-exists')
          throw new WrongExpectedVersion(streamId, String(expected), await this.versionOf(streamId));
      }
    }
  }

  private async versionOf(streamId: string): Promise<number | 'no-stream'> {
    const stored = await this.readStream(streamId);
    return stored.length === 0 ? 'no-stream' : stored.length;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<readonly RecordedEvent[]> {
    const from = options.fromVersion ?? 1;
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: BigInt(from - 1),
      })) {
        const event = recordedOf(resolved);
        if (!event) continue;
        if (options.toVersion !== undefined && event.streamVersion > options.toVersion) break;
        if (options.recordedUpTo && event.recordedAt > options.recordedUpTo) break;
        events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const limit = Math.min(options.limit ?? 1000, 10_000);
    const after = options.after ?? 0n;
    const events: RecordedEvent[] = [];
    let checkpoint = after;
    let read = 0;
    const fromPosition: Position | typeof START = after === 0n ? START : { commit: after, prepare: after };
    for await (const resolved of this.client.readAll({ direction: FORWARDS, fromPosition, maxCount: limit + 1 })) {
      const position = resolved.event?.position?.prepare;
      if (position === undefined || position <= after) continue;
      read += 1;
      if (read > limit) return { events, checkpoint, caughtUp: false };
      checkpoint = position;
      const event = recordedOf(resolved);
      if (!event || !matches(event, options)) continue;
      events.push(event);
    }
    return { events, checkpoint, caughtUp: true };
  }

  subscribe(options: SubscriptionOptions): Subscription {
    const subscription = new PollingSubscription(this, options, this.pollIntervalMs, (self) =>
      this.subscriptions.delete(self),
    );
    this.subscriptions.add(subscription);
    this.ensureLiveFeed();
    return subscription;
  }

  /** One server-side-filtered `$all` subscription per store wakes every subscriber on a new event. */
  private ensureLiveFeed(): void {
    if (this.liveFeed || this.closed) return;
    const feed = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
    feed.on('data', () => {
      for (const subscription of this.subscriptions) subscription.wake();
    });
    feed.on('error', () => {
      // Polling carries on; the feed is re-opened by the next subscriber.
      this.liveFeed = undefined;
    });
    this.liveFeed = feed;
  }

  async headPosition(): Promise<bigint> {
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1_000 })) {
      const event = recordedOf(resolved);
      if (event) return event.position;
    }
    return 0n;
  }

  async verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    const chains = new Map<string, { version: number; hash: Buffer; broken: boolean }>();
    const broken: BrokenLink[] = [];
    let eventsChecked = 0;
    let after = 0n;
    for (;;) {
      const page = await this.readAll({ after, limit: 1000 });
      for (const event of page.events) {
        eventsChecked += 1;
        const chain = chains.get(event.streamId) ?? { version: 0, hash: GENESIS_HASH, broken: false };
        chains.set(event.streamId, chain);
        if (chain.broken) continue;
        const expectedHash = chainHash(chain.hash, {
          digest: contentDigest({
            streamId: event.streamId,
            id: event.id,
            type: event.type,
            data: event.data,
            metadata: event.metadata,
          }),
          streamVersion: event.streamVersion,
          position: 0n,
          recordedAtMicros: 0n,
        });
        const reason =
          event.streamVersion !== chain.version + 1
            ? `version ${event.streamVersion} follows ${chain.version}`
            : expectedHash.toString('hex') !== event.hash
              ? 'the hash does not match the content and the previous hash'
              : undefined;
        if (reason) {
          chain.broken = true;
          broken.push({
            streamId: event.streamId,
            streamVersion: event.streamVersion,
            position: event.position,
            eventId: event.id,
            reason,
          });
          continue;
        }
        chain.version = event.streamVersion;
        chain.hash = expectedHash;
      }
      options.onProgress?.(eventsChecked, eventsChecked);
      after = page.checkpoint;
      if (page.caughtUp) break;
    }
    return { ok: broken.length === 0, streamsChecked: chains.size, eventsChecked, brokenLinks: broken };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.liveFeed?.unsubscribe().catch(() => undefined);
    await this.client.dispose();
  }
}

function validate(streamId: string, events: readonly EventToAppend[]): void {
  if (streamId.length === 0 || streamId.startsWith('$') || streamId.startsWith(RESERVATION_PREFIX))
    throw new InvalidAppend(`stream id ${streamId} is not allowed`);
  if (events.length === 0) throw new InvalidAppend('an append needs at least one event');
  const ids = new Set<string>();
  for (const event of events) {
    if (!UUID.test(event.id)) throw new InvalidAppend(`event id ${event.id} is not a UUID`);
    if (event.type.length === 0 || event.type.startsWith('$'))
      throw new InvalidAppend(`event type ${event.type} is not allowed`);
    if (ids.has(event.id.toLowerCase())) throw new InvalidAppend(`event id ${event.id} appears twice in one append`);
    ids.add(event.id.toLowerCase());
  }
}

/** The stored events are exactly this append's (a retry): the original result. Partly: a conflict. */
function retriedAppend(
  streamId: string,
  stored: readonly RecordedEvent[],
  events: readonly EventToAppend[],
): AppendResult | undefined {
  const wanted = events.map((event) => event.id.toLowerCase());
  const index = stored.findIndex((event) => event.id === wanted[0]);
  const found = stored.filter((event) => wanted.includes(event.id));
  if (found.length === 0) return undefined;
  const run = stored.slice(index, index + wanted.length);
  const first = run[0];
  const last = run.at(-1);
  if (index < 0 || !first || !last || found.length !== wanted.length || run.some((event, i) => event.id !== wanted[i]))
    throw new EventIdConflict(streamId);
  return { streamVersion: last.streamVersion, firstPosition: first.position, position: last.position, duplicate: true };
}

function checkExpected(streamId: string, expected: ExpectedVersion, version: number): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && version === 0) ||
    (expected === 'stream-exists' && version > 0) ||
    (typeof expected === 'number' && expected === version);
  if (!ok) throw new WrongExpectedVersion(streamId, String(expected), version === 0 ? 'no-stream' : version);
}

function matches(event: RecordedEvent, options: ReadAllOptions): boolean {
  const category = event.streamId.slice(0, Math.max(event.streamId.indexOf('-'), 0));
  if (options.categories && !options.categories.includes(category)) return false;
  if (options.types && !options.types.includes(event.type)) return false;
  return true;
}

/** A registry event as the port hands it out; undefined for system events and reservations. */
function recordedOf(resolved: ResolvedEvent): RecordedEvent | undefined {
  const event = resolved.event;
  if (
    !event ||
    event.streamId.startsWith('$') ||
    event.type.startsWith('$') ||
    event.streamId.startsWith(RESERVATION_PREFIX)
  )
    return undefined;
  if (!event.isJson) return undefined;
  const { [HASH_KEY]: hash, ...metadata } = (event.metadata ?? {}) as JsonObject;
  return {
    id: event.id,
    streamId: event.streamId,
    streamVersion: Number(event.revision) + 1,
    position: event.position?.prepare ?? 0n,
    type: event.type,
    data: event.data as JsonObject,
    metadata,
    recordedAt: event.created,
    hash: typeof hash === 'string' ? hash : '',
  };
}
