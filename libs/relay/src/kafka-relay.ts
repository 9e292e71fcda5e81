import { Kafka, logLevel, type Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { firstRow } from '@registry/postgres';
import { NotPublishable, TOPICS } from '@registry/contracts';
import type { EventStore, RecordedEvent, Subscription } from '@registry/event-store';
import { chunkBySize, type EventRef, type RelayMessage, relayMessageOf } from './messages';
import { ensureCheckpointRow, readCheckpoint, recordFailure, saveCheckpoint } from './relay-checkpoints';

export interface RelayLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface RelayOptions {
  readonly brokers: readonly string[];
  /** The base of each message's `ce_dataschema` URI (`PUBLIC_BASE_URL`): CloudEvents requires an absolute URI. */
  readonly publicBaseUrl: string;
  /** The checkpoint row; two relays with different names publish the log twice. */
  readonly name?: string;
  readonly clientId?: string;
  /** Put before every topic name, e.g. `staging.` where environments share a cluster. */
  readonly topicPrefix?: string;
  /** Partitions of each topic the relay creates; existing topics are left as they are. */
  readonly topicPartitions?: number;
  readonly replicationFactor?: number;
  /** Events read from the log per batch; the checkpoint moves once per acknowledged batch. */
  readonly batchSize?: number;
  /** Bytes of message values per produce request, well under the broker's `message.max.bytes`. */
  readonly maxSendBytes?: number;
  /** Back-off while the broker is unreachable. */
  readonly retryDelayMs?: { readonly min: number; readonly max: number };
  readonly logger: RelayLogger;
}

/** What the relay is doing now, for `/health`, `/metrics` and the CLI. */
export type RelayState = 'starting' | 'standby' | 'running' | 'broker-unreachable' | 'stopped' | 'closed';

/** An event the relay will not publish without an admin: it stops there, so nothing after it overtakes it. */
export class Unpublishable extends Error {
  override readonly name = 'Unpublishable';

  constructor(
    readonly event: EventRef,
    readonly reason: string,
  ) {
    super(
      `event ${event.id} (${event.type}, ${event.streamId}, position ${event.position.toString()}) cannot be published: ${reason}`,
    );
  }
}

const LEADERSHIP_LOCK = 'registry-relay:';

function isMessageTooLarge(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const type = (current as { type?: unknown }).type;
    if (type === 'MESSAGE_TOO_LARGE' || type === 'RECORD_LIST_TOO_LARGE') return true;
    if ((current as { cause?: unknown }).cause === current) break;
  }
  return false;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * `$all` → Kafka. One topic per stream category, key = stream id, so each stream keeps its order
 * within one partition; CloudEvents binary-mode headers; an idempotent producer with one request
 * in flight, so the producer's own retries neither duplicate nor reorder. The checkpoint moves only
 * after the broker acknowledged (acks = all), so delivery is at least once: a crash or an outage
 * between the acknowledgement and the checkpoint re-sends that batch, recognisable by `ce_id`.
 *
 * One relay per name publishes at a time (a PostgreSQL advisory lock); others wait as standbys.
 */
export class KafkaRelay {
  private readonly kafka: Kafka;
  private readonly name: string;
  private readonly topicPrefix: string;
  private readonly publicBaseUrl: string;
  private readonly batchSize: number;
  private readonly maxSendBytes: number;
  private readonly retry: { readonly min: number; readonly max: number };
  private currentState: RelayState = 'starting';
  private lastError: string | undefined;
  private delay: number;
  private closing = false;
  private subscription: Subscription | undefined;
  private wakeSleeper: (() => void) | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly store: EventStore,
    private readonly options: RelayOptions,
  ) {
    this.name = options.name ?? 'kafka';
    this.topicPrefix = options.topicPrefix ?? '';
    this.publicBaseUrl = options.publicBaseUrl;
    this.batchSize = options.batchSize ?? 500;
    this.maxSendBytes = options.maxSendBytes ?? 512 * 1024;
    this.retry = options.retryDelayMs ?? { min: 250, max: 5_000 };
    this.delay = this.retry.min;
    this.kafka = new Kafka({
      clientId: options.clientId ?? 'liangxin-registry-relay',
      brokers: [...options.brokers],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
  }

  get state(): RelayState {
    return this.currentState;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  get checkpointName(): string {
    return this.name;
  }

  /** Starts publishing in the background; `close()` stops it. */
  start(): void {
    this.running ??= this.run().catch((error: unknown) => {
      this.lastError = messageOf(error);
      this.options.logger.error(`relay ${this.name} ended: ${this.lastError}`);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.wakeSleeper?.();
    await this.subscription?.stop();
    await this.running;
    this.currentState = 'closed';
  }

  private async run(): Promise<void> {
    await ensureCheckpointRow(this.pool, this.name);
    while (!this.closing) {
      const leader = await this.becomeLeader();
      if (!leader) {
        if (this.currentState !== 'standby')
          this.options.logger.log(`relay ${this.name}: another relay is publishing; standing by`);
        this.currentState = 'standby';
        await this.sleep(2_000);
        continue;
      }
      try {
        await this.lead();
      } finally {
        await leader
          .query('SELECT pg_advisory_unlock(hashtext($1))', [LEADERSHIP_LOCK + this.name])
          .catch(() => undefined);
        leader.release();
      }
    }
  }

  /** A connection holding the relay's advisory lock, or undefined when another relay holds it. */
  private async becomeLeader(): Promise<PoolClient | undefined> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [
        LEADERSHIP_LOCK + this.name,
      ]);
      if (firstRow(rows, 'pg_try_advisory_lock').locked) return client;
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    client.release();
    return undefined;
  }

  private async lead(): Promise<void> {
    let topicsReady = false;
    while (!this.closing) {
      const checkpoint = await readCheckpoint(this.pool, this.name);
      if (checkpoint.status === 'stopped') {
        this.currentState = 'stopped';
        this.lastError = checkpoint.failure?.error;
        await this.sleep(1_000);
        continue;
      }
      let producer: Producer | undefined;
      try {
        if (!topicsReady) {
          await this.ensureTopics();
          topicsReady = true;
        }
        const connected = this.kafka.producer({
          idempotent: true,
          maxInFlightRequests: 1,
          allowAutoTopicCreation: false,
        });
        producer = connected;
        await connected.connect();
        this.currentState = 'running';
        this.lastError = undefined;
        await this.publishFrom(connected, checkpoint.position);
      } catch (error) {
        if (error instanceof Unpublishable) {
          this.lastError = error.message;
          this.options.logger.error(
            `relay ${this.name} stopped: ${error.message}. After fixing the cause: cli relay retry, or cli relay skip ${error.event.position.toString()}`,
          );
          await recordFailure(this.pool, this.name, error.event, error.reason);
          continue;
        }
        this.currentState = 'broker-unreachable';
        this.lastError = messageOf(error);
        this.options.logger.warn(
          `relay ${this.name}: publishing failed (${this.lastError}); retrying from the checkpoint in ${this.delay} ms`,
        );
        await this.sleep(this.delay);
        this.delay = Math.min(this.delay * 2, this.retry.max);
      } finally {
        this.subscription = undefined;
        await producer?.disconnect().catch(() => undefined);
      }
    }
  }

  /**
   * Follows the log and publishes it, reading the next batch while the broker acknowledges the
   * previous one; at most one batch is in flight, and checkpoints are saved in order after each
   * acknowledgement. Returns when closed; throws what stopped publishing.
   */
  private async publishFrom(producer: Producer, after: bigint): Promise<void> {
    let inFlight: Promise<void> = Promise.resolve();
    let failure: Error | undefined;
    const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));
    const subscription = this.store.subscribe({
      after,
      batchSize: this.batchSize,
      handle: async (events, through) => {
        await inFlight;
        if (failure !== undefined) throw failure;
        inFlight = this.publish(producer, events, through).catch((error: unknown) => {
          failure = asError(error);
          void subscription.stop();
        });
      },
    });
    this.subscription = subscription;
    if (this.closing) await subscription.stop();
    await subscription.done.catch((error: unknown) => {
      failure ??= asError(error);
    });
    await inFlight;
    if (failure !== undefined) throw failure;
  }

  private async ensureTopics(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = Object.values(TOPICS)
        .map((topic) => this.topicPrefix + topic)
        .filter((topic) => !existing.has(topic));
      if (missing.length === 0) return;
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({
          topic,
          numPartitions: this.options.topicPartitions ?? 6,
          replicationFactor: this.options.replicationFactor ?? 1,
        })),
      });
      this.options.logger.log(`relay ${this.name}: created topics ${missing.join(', ')}`);
    } finally {
      await admin.disconnect();
    }
  }

  /** Publishes one batch and then moves the checkpoint; stops at the first event it cannot publish. */
  private async publish(producer: Producer, events: readonly RecordedEvent[], through: bigint): Promise<void> {
    const messages: RelayMessage[] = [];
    let unpublishable: Unpublishable | undefined;
    for (const event of events) {
      try {
        messages.push(relayMessageOf(event, this.publicBaseUrl, this.topicPrefix));
      } catch (error) {
        if (!(error instanceof NotPublishable)) throw error;
        unpublishable = new Unpublishable(event, error.message);
        break;
      }
    }
    let sent = 0;
    try {
      for (const chunk of chunkBySize(messages, this.maxSendBytes)) {
        await this.send(producer, chunk);
        sent += chunk.length;
      }
    } catch (error) {
      if (error instanceof Unpublishable) {
        const before = messages.slice(
          0,
          messages.findIndex((message) => message.position === error.event.position),
        );
        sent = before.length;
        await this.saveThrough(before, sent);
      }
      throw error;
    }
    if (unpublishable) {
      await this.saveThrough(messages, sent);
      throw unpublishable;
    }
    await saveCheckpoint(this.pool, this.name, through, sent);
    this.delay = this.retry.min;
  }

  private async saveThrough(sentMessages: readonly RelayMessage[], count: number): Promise<void> {
    const last = sentMessages.at(-1);
    if (last) await saveCheckpoint(this.pool, this.name, last.position, count);
  }

  /** One produce request; a request the broker finds too large is re-sent message by message to find the one at fault. */
  private async send(producer: Producer, chunk: readonly RelayMessage[]): Promise<void> {
    try {
      await producer.sendBatch({
        acks: -1,
        topicMessages: topicMessagesOf(chunk),
      });
    } catch (error) {
      if (!isMessageTooLarge(error)) throw error;
      const [only, ...others] = chunk;
      if (only && others.length === 0)
        throw new Unpublishable(
          only.event,
          `the broker refused it as too large (${Buffer.byteLength(only.value)} bytes): ${messageOf(error)}`,
        );
      for (const message of chunk) await this.send(producer, [message]);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeSleeper = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

function topicMessagesOf(
  chunk: readonly RelayMessage[],
): { topic: string; messages: { key: string; value: string; headers: Record<string, string> }[] }[] {
  const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
  for (const message of chunk) {
    const list = byTopic.get(message.topic) ?? [];
    list.push({ key: message.key, value: message.value, headers: { ...message.headers } });
    byTopic.set(message.topic, list);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
