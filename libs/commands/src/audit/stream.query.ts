import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { parseStreamId, type StreamCategory } from '@registry/contracts';
import {
  applicantDecider,
  type Decider,
  effectiveOnOf,
  fold,
  gridDecider,
  inflowDecider,
  memberDecider,
  organizationDecider,
  unitDecider,
} from '@registry/domain';
import type { JsonObject } from '@registry/event-store';
import { NotFound } from '../errors';
import { ReadSide } from '../read-side';

const DECIDERS: Record<StreamCategory, Pick<Decider<unknown, unknown, unknown>, 'evolve' | 'initialState'>> = {
  unit: unitDecider,
  organization: organizationDecider,
  member: memberDecider,
  inflow: inflowDecider,
  applicant: applicantDecider,
  grid: gridDecider,
};

export interface StreamAnswer {
  readonly streamId: string;
  readonly category: StreamCategory;
  readonly toVersion: number | null;
  readonly asOf: string | null;
  readonly version: number;
  readonly events: readonly {
    readonly id: string;
    readonly streamVersion: number;
    readonly position: string;
    readonly type: string;
    readonly recordedAt: string;
    readonly effectiveOn: string;
    readonly actor: unknown;
    readonly data: JsonObject;
    readonly metadata: JsonObject;
    readonly hash: string;
  }[];
  readonly state: unknown;
}

/** For auditors: a stream's events up to a version or business date, and the state folded from them. */
export class StreamQuery extends Query<StreamAnswer> {
  constructor(
    readonly streamId: string,
    readonly parameters: { readonly toVersion?: number; readonly asOf?: string },
  ) {
    super();
  }
}

@QueryHandler(StreamQuery)
export class StreamHandler implements IQueryHandler<StreamQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  async execute({ streamId, parameters }: StreamQuery): Promise<StreamAnswer> {
    const { toVersion, asOf } = parameters;
    const parsed = parseStreamId(streamId.toLowerCase());
    if (!parsed) throw new NotFound(`no stream ${streamId}: stream ids are unit-, organization- or member-<uuid>`);
    const { eventStore } = await this.readSide.sources();
    const all = await eventStore.readStream(streamId.toLowerCase(), toVersion === undefined ? {} : { toVersion });
    const last = all.at(-1);
    if (last === undefined) throw new NotFound(`stream ${streamId} has no events`);
    const included = asOf === undefined ? all : all.filter((event) => effectiveOnOf(event) <= asOf);
    return {
      streamId: streamId.toLowerCase(),
      category: parsed.category,
      toVersion: toVersion ?? null,
      asOf: asOf ?? null,
      version: last.streamVersion,
      events: included.map((event) => ({
        id: event.id,
        streamVersion: event.streamVersion,
        position: event.position.toString(),
        type: event.type,
        recordedAt: event.recordedAt.toISOString(),
        effectiveOn: effectiveOnOf(event),
        actor: event.metadata.actor ?? null,
        data: event.data,
        metadata: event.metadata,
        hash: event.hash,
      })),
      state: fold(
        DECIDERS[parsed.category],
        included.map((event) => ({ type: event.type, data: event.data })),
      ),
    };
  }
}
