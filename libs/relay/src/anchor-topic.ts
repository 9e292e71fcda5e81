import { Kafka, logLevel } from 'kafkajs';
import { type Anchor, formatAnchorLine } from '@registry/event-store';

export interface AnchorTopicOptions {
  readonly brokers: readonly string[];
  /** The full topic name, prefix included. */
  readonly topic: string;
  readonly replicationFactor?: number;
}

/**
 * Appends one signed anchor to its topic (ADR 0014), keyed by position, acknowledged by every
 * in-sync replica. The topic has one partition, so its order is the order anchors were taken.
 */
export async function publishAnchor(options: AnchorTopicOptions, anchor: Anchor): Promise<void> {
  const kafka = new Kafka({
    clientId: 'liangxin-registry-anchors',
    brokers: [...options.brokers],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    // A topic just created may not be known to every broker yet ("does not host this topic-partition"):
    // kafkajs retries that, given time. Anchors are rare; waiting up to ~20 s is cheap.
    retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 5_000 },
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(options.topic)) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [{ topic: options.topic, numPartitions: 1, replicationFactor: options.replicationFactor ?? 1 }],
      });
    }
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({
      topic: options.topic,
      acks: -1,
      messages: [{ key: anchor.position, value: formatAnchorLine(anchor).trimEnd() }],
    });
  } finally {
    await producer.disconnect();
  }
}
