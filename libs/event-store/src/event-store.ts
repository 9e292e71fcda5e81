/** A JSON object as stored in the log. */
export type JsonObject = { readonly [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonObject | readonly JsonValue[];

/**
 * What the writer expects of the stream:
 * - `no-stream`: the stream has no events yet;
 * - `stream-exists`: it has at least one;
 * - `any`: no check;
 * - a number: the stream's version is exactly that (0 means no events yet).
 */
export type ExpectedVersion = 'no-stream' | 'stream-exists' | 'any' | number;

export interface EventToAppend {
  /** A UUID chosen by the writer; appending an id that is already stored is a no-op (a retry). */
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata?: JsonObject;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamId: string;
  /** 1 for a stream's first event. */
  readonly streamVersion: number;
  /** The event's place in `$all`; increases in the order `readAll` and `subscribe` deliver. */
  readonly position: bigint;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly recordedAt: Date;
  /** SHA-256 chained to the previous event of the stream, hex. */
  readonly hash: string;
}

export interface AppendResult {
  /** The stream's version after the append: the version of its last event. */
  readonly streamVersion: number;
  /** Position of the first and last appended event. */
  readonly firstPosition: bigint;
  readonly position: bigint;
  /** True when every event id was already stored and nothing was written. */
  readonly duplicate: boolean;
}

export interface ReadStreamOptions {
  /** First version to read (inclusive), default 1. */
  readonly fromVersion?: number;
  /** Last version to read (inclusive). */
  readonly toVersion?: number;
  /** Only events recorded at or before this instant. */
  readonly recordedUpTo?: Date;
}

export interface ReadAllOptions {
  /** Read events after this position (exclusive); omit to read from the start. */
  readonly after?: bigint;
  /** At most this many events (default 1000, at most 10000). */
  readonly limit?: number;
  /** Only these stream categories (the part of the stream id before the first `-`). */
  readonly categories?: readonly string[];
  /** Only these event types. */
  readonly types?: readonly string[];
}

export interface ReadAllPage {
  readonly events: readonly RecordedEvent[];
  /**
   * The log has been read through this position: pass it as `after` to continue. It moves past
   * filtered-out events, and never past an event that may still commit.
   */
  readonly checkpoint: bigint;
  /** False when the page was cut by `limit` and more events may follow at once. */
  readonly caughtUp: boolean;
}

export interface SubscriptionOptions {
  /** Deliver events after this position; omit to start at the beginning of the log. */
  readonly after?: bigint;
  readonly categories?: readonly string[];
  readonly types?: readonly string[];
  readonly batchSize?: number;
  /**
   * Receives events in log order, each exactly once while the handler succeeds. `checkpoint` is the
   * position to store (with the handler's own writes) and to resume from.
   */
  readonly handle: (events: readonly RecordedEvent[], checkpoint: bigint) => Promise<void>;
}

export interface Subscription {
  /** Position the subscription has read through: at or past the last checkpoint handed to `handle`. */
  readonly checkpoint: bigint;
  /** Resolves when stopped; rejects with the handler's error if the handler failed. */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export interface BrokenLink {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly position?: bigint;
  readonly eventId?: string;
  readonly reason: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly streamsChecked: number;
  readonly eventsChecked: number;
  /** The first broken link of every broken stream, in stream order. */
  readonly brokenLinks: readonly BrokenLink[];
}

export interface VerifyOptions {
  readonly onProgress?: (eventsChecked: number, eventsTotal: number) => void;
}

/** The port. Adapters: PostgreSQL (this library), EventStoreDB/KurrentDB. */
export interface EventStore {
  append(streamId: string, events: readonly EventToAppend[], expected: ExpectedVersion): Promise<AppendResult>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<ReadAllPage>;
  subscribe(options: SubscriptionOptions): Subscription;
  /** The position of the newest event that is safe to read, or 0n for an empty log. */
  headPosition(): Promise<bigint>;
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  close(): Promise<void>;
}
