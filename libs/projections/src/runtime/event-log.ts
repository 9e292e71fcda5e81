import type { ReadAllOptions, ReadAllPage } from '@registry/event-store';

/** What the projector reads: the ordered log and, where the store offers them, wake-ups and counts. */
export interface EventLog {
  readAll(options: ReadAllOptions): Promise<ReadAllPage>;
  headPosition(): Promise<bigint>;
  /** Calls `listener` soon after events may have been appended (any process); returns an unsubscribe. */
  onAppended?(listener: () => void): () => void;
  /** Events after a position (for progress and lag); may be slow on huge logs. */
  countEventsAfter?(position: bigint): Promise<number>;
}
