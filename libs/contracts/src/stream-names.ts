/**
 * Stream ids are `<category>-<aggregate id>`. The category (before the first `-`) is what `$all`
 * filters and Kafka topics are keyed on, so it must never contain a `-` itself.
 */
export const STREAM_CATEGORIES = ['unit', 'organization', 'member', 'inflow', 'applicant', 'grid'] as const;
export type StreamCategory = (typeof STREAM_CATEGORIES)[number];

export function streamIdFor(category: StreamCategory, aggregateId: string): string {
  if (aggregateId.length === 0) throw new Error('aggregate id is empty');
  return `${category}-${aggregateId}`;
}

export function parseStreamId(streamId: string): { category: StreamCategory; aggregateId: string } | undefined {
  const dash = streamId.indexOf('-');
  if (dash <= 0) return undefined;
  const category = streamId.slice(0, dash);
  const aggregateId = streamId.slice(dash + 1);
  if (!(STREAM_CATEGORIES as readonly string[]).includes(category) || aggregateId.length === 0) return undefined;
  return { category: category as StreamCategory, aggregateId };
}
