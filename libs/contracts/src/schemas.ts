import { z } from 'zod';
import {
  CLOUDEVENTS_SOURCE,
  PUBLIC_EVENT_DATA,
  PUBLIC_EVENT_NAMES,
  type PublicEventName,
  publicTypeOf,
  schemaPathOf,
  TOPICS,
} from './public-events';
import { STREAM_CATEGORIES } from './stream-names';

type JsonSchema = Record<string, unknown>;

/**
 * The JSON Schema (2020-12) of one public event in structured form: the CloudEvents envelope the
 * HTTP feed serves, with `data` as the Kafka message value carries it. Schemas are written for
 * readers: unknown fields are allowed, so an added optional field does not break a consumer.
 */
export function publicEventSchema(name: PublicEventName): JsonSchema {
  const data = z.toJSONSchema(PUBLIC_EVENT_DATA[name], { io: 'input' });
  delete data.$schema;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: schemaPathOf(name),
    title: publicTypeOf(name),
    type: 'object',
    required: ['specversion', 'id', 'type', 'source', 'subject', 'time', 'position', 'data'],
    properties: {
      specversion: { const: '1.0' },
      id: { type: 'string', description: 'the event id: deduplicate on it (delivery is at least once)' },
      type: { const: publicTypeOf(name) },
      source: { const: CLOUDEVENTS_SOURCE },
      subject: { type: 'string', description: 'the stream id, `<category>-<id>`; the Kafka message key' },
      time: {
        type: 'string',
        pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$',
        description: 'when the registry recorded the event',
      },
      datacontenttype: { const: 'application/json' },
      dataschema: { type: 'string' },
      position: { type: 'string', pattern: '^[0-9]+$', description: 'global position in the log' },
      streamversion: { type: 'integer', minimum: 1 },
      category: { enum: [...STREAM_CATEGORIES] },
      traceparent: {
        type: 'string',
        pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
        description: 'the W3C trace context of the command that recorded the event (absent when it carried none)',
      },
      correlationid: { type: 'string', description: 'the correlation id of the recording request' },
      causationid: { type: 'string', description: 'the id of the request that caused the event' },
      data,
    },
  };
}

export interface SchemaIndexEntry {
  readonly type: string;
  readonly event: PublicEventName;
  readonly version: number;
  readonly schema: string;
}

/** What `/v1/schemas` lists: every public type, where its schema is, and the topics. */
export function schemaIndex(): { topics: typeof TOPICS; events: SchemaIndexEntry[] } {
  return {
    topics: TOPICS,
    events: PUBLIC_EVENT_NAMES.map((event) => ({
      type: publicTypeOf(event),
      event,
      version: 1,
      schema: schemaPathOf(event),
    })),
  };
}

/** `registry.MemberRegistered.v1` → its schema; undefined for an unknown type. */
export function schemaOfType(type: string): JsonSchema | undefined {
  const name = PUBLIC_EVENT_NAMES.find((candidate) => publicTypeOf(candidate) === type);
  return name ? publicEventSchema(name) : undefined;
}
