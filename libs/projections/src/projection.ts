import type { RecordedEvent } from '@registry/event-store';

/**
 * The shape every read model implements (the runtime arrives with the projections issue): a named,
 * versioned projection that applies a batch of events and its checkpoint in one transaction.
 */
export interface Projection<Transaction> {
  readonly name: string;
  readonly version: number;
  apply(tx: Transaction, events: readonly RecordedEvent[]): Promise<void>;
}
