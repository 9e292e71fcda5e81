import { type PublicEvent, type StoredEventLike, toPublicEvent, topicOf } from '@registry/contracts';

/** Enough of a stored event to name it in a failure record. */
export interface EventRef {
  readonly id: string;
  readonly type: string;
  readonly streamId: string;
  readonly position: bigint;
}

export interface RelayMessage {
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly position: bigint;
  readonly event: EventRef;
}

/**
 * CloudEvents 1.0 Kafka protocol binding, binary mode: the attributes as `ce_` headers, `data` as the value.
 * The command's trace context travels twice: as the distributed-tracing extension (`ce_traceparent`, the
 * context the event was recorded in) and as the W3C `traceparent` header a Kafka consumer's tracing reads.
 */
export function cloudEventHeaders(published: PublicEvent): Record<string, string> {
  return {
    ...(published.traceparent === undefined
      ? {}
      : { traceparent: published.traceparent, ce_traceparent: published.traceparent }),
    ...(published.correlationid === undefined ? {} : { ce_correlationid: published.correlationid }),
    ...(published.causationid === undefined ? {} : { ce_causationid: published.causationid }),
    ce_specversion: published.specversion,
    ce_id: published.id,
    ce_type: published.type,
    ce_source: published.source,
    ce_subject: published.subject,
    ce_time: published.time,
    ce_dataschema: published.dataschema,
    ce_position: published.position,
    ce_streamversion: String(published.streamversion),
    'content-type': published.datacontenttype,
  };
}

/** A stored event → the Kafka message the relay sends; throws `NotPublishable` as `toPublicEvent` does. */
export function relayMessageOf(event: StoredEventLike, publicBaseUrl: string, topicPrefix = ''): RelayMessage {
  const published = toPublicEvent(event, publicBaseUrl);
  return {
    topic: topicPrefix + topicOf(published.category),
    key: published.subject,
    value: JSON.stringify(published.data),
    headers: cloudEventHeaders(published),
    position: event.position,
    event: { id: event.id, type: event.type, streamId: event.streamId, position: event.position },
  };
}

/** Splits messages, in order, into sends of at most `maxBytes` of values (one oversized message goes alone). */
export function chunkBySize<T extends { readonly value: string }>(messages: readonly T[], maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.value) + 256;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
