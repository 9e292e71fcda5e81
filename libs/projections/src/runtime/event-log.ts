import type { BulkReadOptions, ReadAllOptions, ReadAllPage, RecordedEvent } from '@registry/event-store';

/** What the projector reads: the ordered log and, where the store offers them, wake-ups and counts. */
export interface EventLog {
  readAll(options: ReadAllOptions): Promise<ReadAllPage>;
  headPosition(): Promise<bigint>;
  /** The final events after a position in large pages, read in one pass (for rebuilds). */
  readBulk?(options: BulkReadOptions): AsyncIterable<RecordedEvent[]>;
  /** Calls `listener` soon after events may have been appended (any process); returns an unsubscribe. */
  onAppended?(listener: () => void): () => void;
  /** Events after a position (for progress and lag); may be slow on huge logs. */
  countEventsAfter?(position: bigint): Promise<number>;
}
