import type { Pool } from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { type CommandContext, type Decider, DomainError, fold } from '@registry/domain';
import {
  type EventStoreTransaction,
  type JsonObject,
  type PostgresEventStore,
  type RecordedEvent,
  WrongExpectedVersion,
} from '@registry/event-store';
import { ContentionTooHigh, IdempotencyKeyReused, IdempotentRequestInProgress, PreconditionFailed } from './errors';
import { applyToLookups } from './lookups';

/** Who asks, and the ids that tie the resulting events to the request (stored in event metadata). */
export interface RequestContext extends CommandContext {
  readonly requestId: string;
  readonly correlationId: string;
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

export interface CommandOutcome {
  readonly status: number;
  readonly body: { readonly id: string; readonly streamVersion: number; readonly position: string } & Record<string, unknown>;
}

type DomainEvent = { readonly type: string; readonly data: object };

export interface CommandRequest<C, E extends DomainEvent, S> {
  readonly streamId: string;
  readonly aggregateId: string;
  readonly decider: Decider<C, E, S>;
  /** Builds the command; `tx` reads lookups inside the transaction that appends. */
  readonly command: (state: S, tx: EventStoreTransaction) => C | Promise<C>;
  readonly reservations?: (events: readonly E[]) => readonly Reservation[];
  /** Further writes that must commit with the events (e.g. destroying a data key). */
  readonly alongside?: (tx: EventStoreTransaction, events: readonly E[]) => Promise<void>;
  /** Extra response fields (e.g. `transferId`, `warnings`). */
  readonly respond?: (events: readonly E[], state: S) => Record<string, unknown>;
  readonly ifMatch?: number;
  readonly idempotency?: Idempotency;
  /** 201 for creations, 200 otherwise. */
  readonly successStatus: number;
  readonly context: RequestContext;
}

const MAX_ATTEMPTS = 20;
/** PostgreSQL aborted one of two transactions waiting on each other's locks: decide again. */
const DEADLOCK_DETECTED = '40P01';

class ReplayFound extends Error {}

/** The date a fact took effect, wherever the event keeps it; for history and time travel. */
export function effectiveDateOf(data: object): string | null {
  const record = data as Record<string, unknown>;
  for (const field of ['effectiveOn', 'since', 'paidOn', 'establishedOn', 'registeredOn', 'assignedOn']) {
    const value = record[field];
    if (typeof value === 'string') return value;
  }
  return null;
}

/** JSON as stored: no `undefined` members. */
function stored(data: object): JsonObject {
  return JSON.parse(JSON.stringify(data)) as JsonObject;
}

/**
 * Load, fold, decide, append with the version that was folded; on a conflict decide again on fresh
 * state (or answer 412 when the caller pinned a version with If-Match). Lookups, reservations, the
 * idempotency record and the events commit in one transaction, so a refusal writes nothing.
 */
export class CommandExecutor {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly pool: Pick<Pool, 'query'>,
  ) {}

  async execute<C, E extends DomainEvent, S>(request: CommandRequest<C, E, S>): Promise<CommandOutcome> {
    if (request.idempotency) {
      const earlier = await this.storedResponse(request.idempotency);
      if (earlier) return earlier;
    }
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const history = await this.store.readStream(request.streamId);
      const version = history.length === 0 ? 0 : history[history.length - 1]!.streamVersion;
      if (request.ifMatch !== undefined && request.ifMatch !== version) {
        throw new PreconditionFailed(request.ifMatch, version);
      }
      const state = fold(request.decider, history.map((event) => event as unknown as E));
      try {
        return await this.store.transaction((tx) => this.decideAndAppend(request, tx, state, version, history));
      } catch (error) {
        if (error instanceof ReplayFound && request.idempotency) {
          const earlier = await this.storedResponse(request.idempotency);
          if (earlier) return earlier;
          throw new IdempotentRequestInProgress(request.idempotency.key);
        }
        if ((error as { code?: unknown }).code === DEADLOCK_DETECTED) continue;
        if (!(error instanceof WrongExpectedVersion)) throw error;
        if (request.ifMatch !== undefined) {
          const fresh = await this.store.readStream(request.streamId, { fromVersion: request.ifMatch });
          throw new PreconditionFailed(request.ifMatch, fresh[fresh.length - 1]?.streamVersion ?? request.ifMatch);
        }
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** attempt, 50)));
      }
    }
    throw new ContentionTooHigh(request.streamId, MAX_ATTEMPTS);
  }

  private async decideAndAppend<C, E extends DomainEvent, S>(
    request: CommandRequest<C, E, S>,
    tx: EventStoreTransaction,
    state: S,
    version: number,
    history: readonly RecordedEvent[],
  ): Promise<CommandOutcome> {
    const { idempotency, context } = request;
    if (idempotency) {
      // Blocks while a concurrent request holds the same key, then finds its committed response.
      const claimed = await tx.query(
        `INSERT INTO command_side.idempotency_keys (principal, key, request_hash) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING key`,
        [idempotency.principal, idempotency.key, idempotency.requestHash],
      );
      if (claimed.length === 0) throw new ReplayFound();
    }
    const command = await request.command(state, tx);
    const events = request.decider.decide(command, state, context);
    let streamVersion = version;
    let position = history[history.length - 1]?.position ?? 0n;
    if (events.length > 0) {
      for (const reservation of request.reservations?.(events) ?? []) await this.reserve(tx, request.streamId, reservation);
      await request.alongside?.(tx, events);
      const result = await tx.append(
        request.streamId,
        events.map((event) => ({
          id: uuidv7(),
          type: event.type,
          data: stored(event.data),
          metadata: {
            actor: context.actor,
            requestId: context.requestId,
            correlationId: context.correlationId,
            causationId: context.requestId,
            effectiveOn: effectiveDateOf(event.data),
          },
        })),
        version === 0 ? 'no-stream' : version,
      );
      await applyToLookups(tx, events);
      streamVersion = result.streamVersion;
      position = result.position;
    }
    const outcome: CommandOutcome = {
      status: request.successStatus,
      body: {
        id: request.aggregateId,
        streamVersion,
        position: position.toString(),
        ...request.respond?.(events, state),
      },
    };
    if (idempotency) {
      await tx.query(
        `UPDATE command_side.idempotency_keys SET status = $3, response = $4 WHERE principal = $1 AND key = $2`,
        [idempotency.principal, idempotency.key, outcome.status, JSON.stringify(outcome.body)],
      );
    }
    return outcome;
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

  private async storedResponse(idempotency: Idempotency): Promise<CommandOutcome | undefined> {
    const { rows } = await this.pool.query<{ request_hash: string; status: number | null; response: CommandOutcome['body'] | null }>(
      'SELECT request_hash, status, response FROM command_side.idempotency_keys WHERE principal = $1 AND key = $2',
      [idempotency.principal, idempotency.key],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (row.request_hash !== idempotency.requestHash) throw new IdempotencyKeyReused(idempotency.key);
    if (row.status === null || row.response === null) return undefined;
    return { status: row.status, body: row.response };
  }
}
