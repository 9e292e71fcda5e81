import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Reads `topics` from the beginning with a fresh consumer group until `enough(messages)` holds;
 * fails naming what it had when `timeoutMs` runs out.
 */
export async function consumeUntil(
  brokers: readonly string[],
  topics: readonly string[],
  enough: (messages: readonly ConsumedMessage[]) => boolean,
  timeoutMs = 60_000,
): Promise<ConsumedMessage[]> {
  const kafka = new Kafka({ clientId: 'registry-test-consumer', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: `registry-test-${randomUUID()}`,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  const messages: ConsumedMessage[] = [];
  const deadline = Date.now() + timeoutMs;
  await topicsExist(kafka, topics, deadline);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...topics], fromBeginning: true });
    await consumer.run({
      eachMessage: ({ topic, partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {}))
          if (value !== undefined) headers[name] = value.toString();
        messages.push({
          topic,
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          headers,
        });
        return Promise.resolve();
      },
    });
    while (!enough(messages)) {
      if (Date.now() > deadline)
        throw new Error(
          `consumed ${messages.length} messages from ${topics.join(', ')} in ${timeoutMs} ms, not enough`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return messages;
  } finally {
    await consumer.disconnect();
  }
}

/** The relay creates its topics when it starts; a consumer subscribing earlier would fail. */
async function topicsExist(kafka: Kafka, topics: readonly string[], deadline: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (;;) {
      const existing = new Set(await admin.listTopics());
      if (topics.every((topic) => existing.has(topic))) return;
      if (Date.now() > deadline)
        throw new Error(`topics ${topics.filter((t) => !existing.has(t)).join(', ')} were never created`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await admin.disconnect();
  }
}
