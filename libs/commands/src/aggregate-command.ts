import { type StreamCategory, streamIdFor } from '@registry/contracts';
import { type Decider, DomainError } from '@registry/domain';
import type { EventStoreTransaction } from '@registry/event-store';
import type {
  CommandAnswer,
  CommandExecutor,
  CommandRequest,
  DomainEvent,
  Idempotency,
  RequestContext,
} from './command-executor';
import { unitExists } from './lookups';

/** What every command carries besides its input: who asks, and the request's preconditions. */
export interface CommandOptions {
  readonly context: RequestContext;
  readonly ifMatch?: number;
  readonly idempotency?: Idempotency;
}

type Spec<C, E extends DomainEvent, S> = Omit<
  CommandRequest<C, E, S>,
  'streamId' | 'aggregateId' | 'decider' | keyof CommandOptions
>;

/** One command on one aggregate's stream, through the executor (load, fold, decide, append). */
export function executeOn<C, E extends DomainEvent, S>(
  executor: CommandExecutor,
  category: StreamCategory,
  aggregateId: string,
  decider: Decider<C, E, S>,
  options: CommandOptions,
  spec: Spec<C, E, S>,
): Promise<CommandAnswer> {
  return executor.execute({
    ...options,
    ...spec,
    streamId: streamIdFor(category, aggregateId),
    aggregateId,
    decider,
  });
}

/** Refuses a command naming a unit that is not registered or has closed. */
export async function requireUnits(
  tx: EventStoreTransaction,
  unitIds: readonly string[],
  field: string,
): Promise<void> {
  for (const unitId of unitIds) {
    const status = await unitExists(tx, unitId);
    if (status === 'missing') throw new DomainError('unit-not-found', `unit ${unitId} is not registered`, field);
    if (status === 'closed') throw new DomainError('unit-closed', `unit ${unitId} has closed`, field);
  }
}

/** The appending transaction as the personal data vault's SQL client, so its writes commit with the events. */
export function sqlOf(tx: EventStoreTransaction) {
  return {
    query: async <Row extends object>(text: string, values?: unknown[]) => ({
      rows: await tx.query<Row>(text, values),
    }),
  };
}
