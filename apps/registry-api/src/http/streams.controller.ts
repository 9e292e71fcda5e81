import { Controller, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { parseStreamId } from '@registry/contracts';
import { businessDateOf, type Decider, fold, memberDecider, organizationDecider, unitDecider } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import { REGISTRY_DATABASE, type RegistryDatabase } from '@registry/runtime';
import { Problem } from '../problems/problem-details.filter';
import { QueryRoute } from './query-route';
import { streamQuery } from './query-schemas';
import { parseQuery } from './read-models';

const DECIDERS: Record<string, Pick<Decider<unknown, unknown, unknown>, 'evolve' | 'initialState'>> = {
  unit: unitDecider,
  organization: organizationDecider,
  member: memberDecider,
};

/** The business date an event took effect: its metadata's, else the day it was recorded (Beijing). */
function effectiveOn(event: RecordedEvent): string {
  const stated = event.metadata.effectiveOn;
  return typeof stated === 'string' ? stated : businessDateOf(event.recordedAt);
}

@ApiTags('audit')
@Controller('v1/streams')
export class StreamsController {
  constructor(@Inject(REGISTRY_DATABASE) private readonly database: RegistryDatabase) {}

  @QueryRoute({
    path: ':streamId',
    summary: 'Auditors: a stream\u2019s events up to a version or business date, and the state folded from them',
    query: streamQuery,
    roles: ['auditor', 'admin'],
  })
  async stream(@Param('streamId') streamId: string, @Query() query: unknown) {
    const q = parseQuery(streamQuery, query);
    const parsed = parseStreamId(streamId.toLowerCase());
    if (!parsed)
      throw Problem.of(
        404,
        'not-found',
        'Not found',
        `no stream ${streamId}: stream ids are unit-, organization- or member-<uuid>`,
      );
    const all = await this.database.eventStore.readStream(
      streamId.toLowerCase(),
      q.toVersion === undefined ? {} : { toVersion: q.toVersion },
    );
    if (all.length === 0) throw Problem.of(404, 'not-found', 'Not found', `stream ${streamId} has no events`);
    const included = q.asOf === undefined ? all : all.filter((event) => effectiveOn(event) <= q.asOf!);
    const state = fold(
      DECIDERS[parsed.category]!,
      included.map((event) => ({ type: event.type, data: event.data })),
    );
    return {
      streamId: streamId.toLowerCase(),
      category: parsed.category,
      toVersion: q.toVersion ?? null,
      asOf: q.asOf ?? null,
      version: all.at(-1)!.streamVersion,
      events: included.map((event) => ({
        id: event.id,
        streamVersion: event.streamVersion,
        position: event.position.toString(),
        type: event.type,
        recordedAt: event.recordedAt.toISOString(),
        effectiveOn: effectiveOn(event),
        actor: event.metadata.actor ?? null,
        data: event.data,
        metadata: event.metadata,
        hash: event.hash,
      })),
      state,
    };
  }
}
