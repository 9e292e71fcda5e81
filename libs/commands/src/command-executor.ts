import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import {
  type CommandContext,
  type Decider,
  DEFAULT_RULE_SETTINGS,
  DomainError,
  effectiveOnOf,
  type RuleSettings,
} from '@registry/domain';
import {
  type EventStoreTransaction,
  type JsonObject,
  type PostgresEventStore,
  WrongExpectedVersion,
} from '@registry/event-store';
import { ContentionTooHigh, IdempotencyKeyReused, IdempotentRequestInProgress, PreconditionFailed } from './errors';
import { affectsLookups, applyToLookups } from './lookups';

/** Who asks, and the ids that tie the resulting events to the request (stored in event metadata). */
export interface RequestContext extends CommandContext {
  readonly requestId: string;
  readonly correlationId: string;
  /** The W3C trace context the request ran in (its own span when traced, else the caller's), if any. */
  readonly traceparent?: string;
}

export interface Reservation {
  /** e.g. `resident-id`, `letter-no`, `credit-code`. */
  readonly kind: string;
  readonly value: string;
  /** The rule named in the refusal when another stream holds the value. */
  readonly rule: string;
  readonly message: string;
  readonly field: string;
}

export interface Idempotency {
  readonly principal: string;
  readonly key: string;
  /** A digest of the request (route and body): the same key with another request is refused. */
  readonly requestHash: string;
}

/** What a command answers: its aggregate, the stream version after it (the ETag), the log position, and extras. */
export type CommandAnswer = { readonly id: string; readonly streamVersion: number; readonly position: string } & Record<
  string,
  unknown
>;

export type DomainEvent = { readonly type: string; readonly data: object };

export interface CommandRequest<C, E extends DomainEvent, S> {
  readonly streamId: string;
  readonly aggregateId: string;
  readonly decider: Decider<C, E, S>;
  /** Builds the command; `tx` reads lookups inside the transaction that appends (set `readsLookups`). */
  readonly command: (state: S, tx: EventStoreTransaction) => C | Promise<C>;
  /** The command builder reads lookups, so it must run inside the appending transaction. */
  readonly readsLookups?: boolean;
  /**
   * The aggregate's id was made for this request (a UUIDv7), so its stream cannot exist yet: it is
   * not read first. Should it exist after all, the append's `no-stream` fails and the command is
   * decided again on what is there, as after any conflict.
   */
  readonly newStream?: boolean;
  readonly reservations?: (events: readonly E[]) => readonly Reservation[];
  /** Further writes that must commit with the events (e.g. destroying a data key). */
  readonly alongside?: (tx: EventStoreTransaction, events: readonly E[]) => Promise<void>;
  /** Extra response fields (e.g. `transferId`, `warnings`), under the settings the command was decided with. */
  readonly respond?: (events: readonly E[], state: S, rules: RuleSettings) => Record<string, unknown>;
  readonly ifMatch?: number;
  readonly idempotency?: Idempotency;
  readonly context: RequestContext;
}

const MAX_ATTEMPTS = 20;
/** PostgreSQL aborted one of two transactions waiting on each other's locks: decide again. */
const DEADLOCK_DETECTED = '40P01';

class ReplayFound extends Error {}

/** Handed to command builders that declared they read no lookups. */
const NO_LOOKUPS: EventStoreTransaction = {
  append: () => Promise.reject(new Error('this command was declared to read no lookups')),
  query: () => Promise.reject(new Error('this command was declared to read no lookups')),
  afterCommit: () => undefined,
};

/** Events as appended: their data as stored, and who asked and when it took effect. */
function toStored(events: readonly DomainEvent[], context: RequestContext) {
  return events.map((event) => ({
    id: uuidv7(),
    type: event.type,
    data: stored(event.data),
    metadata: {
      actor: context.actor,
      requestId: context.requestId,
      correlationId: context.correlationId,
      causationId: context.requestId,
      ...(context.traceparent === undefined
        ? {}
        : { traceId: context.traceparent.slice(3, 35), traceparent: context.traceparent }),
      effectiveOn: effectiveOnOf({ data: event.data }),
    },
  }));
}

/** JSON as stored: no `undefined` members. */
function stored(data: object): JsonObject {
  return JSON.parse(JSON.stringify(data)) as JsonObject;
}

/** A stream's folded state at a version, as this process last saw it. */
interface Snapshot {
  readonly version: number;
  readonly position: bigint;
  readonly state: unknown;
}

const CACHED_STREAMS = 20_000;

/**
 * Load, fold, decide, append with the version that was folded; on a conflict decide again on fresh
 * state (or answer 412 when the caller pinned a version with If-Match). Lookups, reservations, the
 * idempotency record and the events commit in one transaction, so a refusal writes nothing.
 *
 * Folded states are cached per stream (docs/adr/0008). A cached state can only be stale if another
 * process appended meanwhile: an append decided on it fails its expected-version check and is
 * decided again, and a refusal or a no-op is confirmed by reading the stream's newer events first.
 */
export class CommandExecutor {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(
    private readonly store: PostgresEventStore,
    private readonly pool: Pick<Pool, 'query'>,
    private readonly rules: RuleSettings = DEFAULT_RULE_SETTINGS,
  ) {}

  async execute<C, E extends DomainEvent, S>(request: CommandRequest<C, E, S>): Promise<CommandAnswer> {
    if (request.idempotency) {
      const earlier = await this.storedResponse(request.idempotency);
      if (earlier) return earlier;
    }
    let snapshot =
      this.snapshots.get(request.streamId) ??
      (request.newStream
        ? { version: 0, position: 0n, state: request.decider.initialState() }
        : await this.catchUp(request, undefined));
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (request.ifMatch !== undefined && request.ifMatch !== snapshot.version) {
        const fresh = await this.catchUp(request, snapshot);
        if (fresh.version !== snapshot.version) {
          snapshot = fresh;
          continue;
        }
        throw new PreconditionFailed(request.ifMatch, snapshot.version);
      }
      try {
        const outcome = await this.attempt(request, snapshot);
        if (outcome === 'stale') {
          snapshot = await this.catchUp(request, snapshot);
          continue;
        }
        return outcome;
      } catch (error) {
        if (error instanceof ReplayFound && request.idempotency) {
          const earlier = await this.storedResponse(request.idempotency);
          if (earlier) return earlier;
          throw new IdempotentRequestInProgress(request.idempotency.key);
        }
        const fresh = await this.catchUp(request, snapshot);
        if (error instanceof DomainError) {
          // A refusal must rest on the stream as it is, not as this process last saw it.
          if (fresh.version === snapshot.version) throw error;
          snapshot = fresh;
          continue;
        }
        snapshot = fresh;
        if ((error as { code?: unknown }).code === DEADLOCK_DETECTED) continue;
        if (!(error instanceof WrongExpectedVersion)) throw error;
        if (request.ifMatch !== undefined) throw new PreconditionFailed(request.ifMatch, fresh.version);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
      }
    }
    throw new ContentionTooHigh(request.streamId, MAX_ATTEMPTS);
  }

  /** The snapshot brought up to the stream's newest event (one indexed read when nothing is new). */
  private async catchUp<C, E extends DomainEvent, S>(
    request: CommandRequest<C, E, S>,
    known: Snapshot | undefined,
  ): Promise<Snapshot> {
    const base: Snapshot = known ?? { version: 0, position: 0n, state: request.decider.initialState() };
    const newer = await this.store.readStream(request.streamId, { fromVersion: base.version + 1 });
    const last = newer.at(-1);
    if (last === undefined) return base;
    const snapshot: Snapshot = {
      version: last.streamVersion,
      position: last.position,
      state: newer.reduce((state, event) => request.decider.evolve(state, event as unknown as E), base.state as S),
    };
    this.remember(request.streamId, snapshot);
    return snapshot;
  }

  private remember(streamId: string, snapshot: Snapshot): void {
    this.snapshots.delete(streamId);
    this.snapshots.set(streamId, snapshot);
    const oldest = this.snapshots.keys().next();
    if (this.snapshots.size > CACHED_STREAMS && !oldest.done) this.snapshots.delete(oldest.value);
  }

  /**
   * Decides a command on a second stream and appends its events in `tx`, the transaction of the
   * request's own events: both commit or neither does. The caller holds what keeps that stream from
   * changing meanwhile (a row lock); a concurrent append to it fails this transaction as a conflict.
   */
  async decideAlongside<C, E extends DomainEvent, S>(
    tx: EventStoreTransaction,
    context: RequestContext,
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    reservations: readonly Reservation[] = [],
  ): Promise<readonly E[]> {
    const history = await this.store.readStream(streamId);
    const state = history.reduce(
      (folded, event) => decider.evolve(folded, { type: event.type, data: event.data } as unknown as E),
      decider.initialState(),
    );
    const events = decider.decide(command, state, this.contextOf({ context }));
    if (events.length === 0) return events;
    for (const reservation of reservations) await this.reserve(tx, streamId, reservation);
    const last = history.at(-1);
    await tx.append(streamId, toStored(events, context), last ? last.streamVersion : 'no-stream');
    await applyToLookups(tx, events);
    tx.afterCommit(() => this.snapshots.delete(streamId));
    return events;
  }

  private contextOf(request: { readonly context: CommandContext }): CommandContext {
    return { ...request.context, rules: this.rules };
  }

  /**
   * One try. Commands that read no lookups are decided before any transaction; when their events
   * need no reservation, lookup or idempotency record, the append is a single statement.
   */
  private async attempt<C, E extends DomainEvent, S>(
    request: CommandRequest<C, E, S>,
    snapshot: Snapshot,
  ): Promise<CommandAnswer | 'stale'> {
    const state = snapshot.state as S;
    if (request.readsLookups || request.idempotency || request.alongside) {
      return this.store.transaction(async (tx) => {
        await this.claimIdempotencyKey(request, tx);
        const events = request.decider.decide(await request.command(state, tx), state, this.contextOf(request));
        if (events.length === 0) return this.confirmedNoOp(request, snapshot, events, tx);
        return this.appendAndRespond(request, snapshot, events, tx);
      });
    }
    const events = request.decider.decide(await request.command(state, NO_LOOKUPS), state, this.contextOf(request));
    if (events.length === 0) return this.confirmedNoOp(request, snapshot, events);
    const needsTransaction =
      (request.reservations?.(events).length ?? 0) > 0 || events.some((event) => affectsLookups(event.type));
    if (!needsTransaction) return this.appendAndRespond(request, snapshot, events);
    return this.store.transaction((tx) => this.appendAndRespond(request, snapshot, events, tx));
  }

  private async claimIdempotencyKey<C, E extends DomainEvent, S>(
    request: CommandRequest<C, E, S>,
    tx: EventStoreTransaction,
  ): Promise<void> {
    const { idempotency } = request;
    if (!idempotency) return;
    // Blocks while a concurrent request holds the same key, then finds its committed response.
    const claimed = await tx.query(
      `INSERT INTO command_side.idempotency_keys (principal, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING RETURNING key`,
      [idempotency.principal, idempotency.key, idempotency.requestHash],
    );
    if (claimed.length === 0) throw new ReplayFound();
  }

  /** "Nothing to do" is only true of the stream as it is now. */
  private async confirmedNoOp<C, E extends DomainEvent, S>(
    request: CommandRequest<C, E, S>,
    snapshot: Snapshot,
    events: readonly E[],
    tx?: EventStoreTransaction,
  ): Promise<CommandAnswer | 'stale'> {
    const newer = await this.store.readStream(request.streamId, { fromVersion: snapshot.version + 1 });
    if (newer.length > 0) return 'stale';
    return this.respond(request, snapshot.version, snapshot.position, events, snapshot.state as S, tx);
  }

  private async appendAndRespond<C, E extends DomainEvent, S>(
    request: CommandRequest<C, E, S>,
    snapshot: Snapshot,
    events: readonly E[],
    tx?: EventStoreTransaction,
  ): Promise<CommandAnswer> {
    const { context } = request;
    if (tx) {
      for (const reservation of request.reservations?.(events) ?? [])
        await this.reserve(tx, request.streamId, reservation);
      await request.alongside?.(tx, events);
    }
    const toAppend = toStored(events, context);
    const expected = snapshot.version === 0 ? 'no-stream' : snapshot.version;
    const result = tx
      ? await tx.append(request.streamId, toAppend, expected)
      : await this.store.append(request.streamId, toAppend, expected);
    if (tx) await applyToLookups(tx, events);
    const state = snapshot.state as S;
    const outcome = await this.respond(request, result.streamVersion, result.position, events, state, tx);
    const next: Snapshot = {
      version: result.streamVersion,
      position: result.position,
      state: events.reduce((folded, event) => request.decider.evolve(folded, event), state),
    };
    // Cached only once committed: a rolled-back transaction must not leave its state behind.
    if (tx) tx.afterCommit(() => this.remember(request.streamId, next));
    else this.remember(request.streamId, next);
    return outcome;
  }

  private async respond<C, E extends DomainEvent, S>(
    request: CommandRequest<C, E, S>,
    streamVersion: number,
    position: bigint,
    events: readonly E[],
    state: S,
    tx?: EventStoreTransaction,
  ): Promise<CommandAnswer> {
    const answer: CommandAnswer = {
      id: request.aggregateId,
      streamVersion,
      position: position.toString(),
      ...request.respond?.(events, state, this.rules),
    };
    const { idempotency } = request;
    if (idempotency && tx) {
      await tx.query(`UPDATE command_side.idempotency_keys SET response = $3 WHERE principal = $1 AND key = $2`, [
        idempotency.principal,
        idempotency.key,
        JSON.stringify(answer),
      ]);
    }
    return answer;
  }

  private async reserve(tx: EventStoreTransaction, streamId: string, reservation: Reservation): Promise<void> {
    // A concurrent claim of the same value blocks here until it commits or rolls back.
    const claimed = await tx.query<{ stream_id: string }>(
      `INSERT INTO command_side.reservations (kind, value, stream_id) VALUES ($1, $2, $3)
       ON CONFLICT (kind, value) DO UPDATE SET stream_id = command_side.reservations.stream_id
       RETURNING stream_id`,
      [reservation.kind, reservation.value, streamId],
    );
    if (claimed[0]?.stream_id !== streamId) {
      throw new DomainError(reservation.rule, reservation.message, reservation.field);
    }
  }

  private async storedResponse(idempotency: Idempotency): Promise<CommandAnswer | undefined> {
    const { rows } = await this.pool.query<{ request_hash: string; response: CommandAnswer | null }>(
      'SELECT request_hash, response FROM command_side.idempotency_keys WHERE principal = $1 AND key = $2',
      [idempotency.principal, idempotency.key],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.request_hash !== idempotency.requestHash) throw new IdempotencyKeyReused(idempotency.key);
    return row.response ?? undefined;
  }
}
