import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { type StreamCategory, streamIdFor } from '@registry/contracts';
import { effectiveOnOf } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import { NotFound } from '../errors';
import { ReadSide } from '../read-side';

export interface HistoryEntry {
  readonly streamVersion: number;
  readonly position: string;
  readonly type: string;
  readonly recordedAt: string;
  readonly effectiveOn: string | null;
  readonly actor: string | null;
  readonly requestId: string | null;
  readonly correlationId: string | null;
  readonly causationId: string | null;
  /** The OpenTelemetry trace the recording request ran in, when it had one. */
  readonly traceId: string | null;
  readonly data: Record<string, unknown>;
}

/** An aggregate's events, oldest first, with recorded time, effective date and actor; personal fields stay sealed. */
export class HistoryQuery extends Query<{ events: HistoryEntry[] }> {
  constructor(
    readonly category: StreamCategory,
    readonly aggregateId: string,
  ) {
    super();
  }
}

const metadataText = (event: RecordedEvent, key: string): string | null => {
  const value = event.metadata[key];
  return typeof value === 'string' ? value : null;
};

@QueryHandler(HistoryQuery)
export class HistoryHandler implements IQueryHandler<HistoryQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  async execute({ category, aggregateId }: HistoryQuery): Promise<{ events: HistoryEntry[] }> {
    const { eventStore } = await this.readSide.sources();
    const events = await eventStore.readStream(streamIdFor(category, aggregateId));
    if (events.length === 0)
      throw new NotFound(`${category} ${aggregateId} is not registered`, `${category}-not-found`);
    return {
      events: events.map((event) => {
        const data: Record<string, unknown> = { ...event.data };
        if ('personal' in data) data.personal = { sealed: true };
        return {
          streamVersion: event.streamVersion,
          position: event.position.toString(),
          type: event.type,
          recordedAt: event.recordedAt.toISOString(),
          // Recorded with the event; events stored before their type named a date had none: read it from the (upcast) data.
          effectiveOn: metadataText(event, 'effectiveOn') ?? effectiveOnOf(event),
          actor: metadataText(event, 'actor'),
          requestId: metadataText(event, 'requestId'),
          correlationId: metadataText(event, 'correlationId'),
          causationId: metadataText(event, 'causationId'),
          traceId: metadataText(event, 'traceId'),
          data,
        };
      }),
    };
  }
}
