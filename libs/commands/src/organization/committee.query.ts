import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { streamIdFor } from '@registry/contracts';
import {
  businessDateOf,
  type CommitteeRole,
  effectiveOnOf,
  membershipOn,
  organizationDecider,
  type OrganizationEvent,
} from '@registry/domain';
import { NotFound } from '../errors';
import { ReadSide } from '../read-side';

export interface CommitteeView {
  readonly organizationId: string;
  readonly asOf: string;
  /** Null when no committee had been elected by `asOf`. */
  readonly electedOn: string | null;
  readonly termYears: number | null;
  readonly termEndsOn: string | null;
  readonly postponedUntil: string | null;
  readonly members: { memberId: string; role: CommitteeRole; vacant: boolean }[];
  /** Posts whose holder had left the organisation or the membership by `asOf`. */
  readonly vacancies: { memberId: string; role: CommitteeRole }[];
}

/** The committee as of a business date, from the organisation's and the holders' streams. */
export class CommitteeQuery extends Query<CommitteeView> {
  constructor(
    readonly organizationId: string,
    readonly parameters: { readonly asOf?: string; readonly minPosition?: string },
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(CommitteeQuery)
export class CommitteeHandler implements IQueryHandler<CommitteeQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  async execute({ organizationId, parameters, today }: CommitteeQuery): Promise<CommitteeView> {
    const asOf = parameters.asOf ?? today;
    const { eventStore } = await this.readSide.sources();
    const recorded = await eventStore.readStream(streamIdFor('organization', organizationId));
    const state = recorded
      .filter((event) => effectiveOnOf(event) <= asOf)
      .reduce(
        (folded, event) =>
          organizationDecider.evolve(folded, { type: event.type, data: event.data } as OrganizationEvent),
        organizationDecider.initialState(),
      );
    if (state.status === 'none')
      throw new NotFound(`organisation ${organizationId} did not exist on ${asOf}`, 'organization-not-found');
    const committee = state.committee;
    const members = [];
    for (const seat of committee?.members ?? []) {
      const events = await eventStore.readStream(streamIdFor('member', seat.memberId));
      const membership = membershipOn(events, asOf);
      members.push({ ...seat, vacant: membership?.orgId !== organizationId });
    }
    return {
      organizationId,
      asOf,
      electedOn: committee?.electedOn ?? null,
      termYears: committee?.termYears ?? null,
      termEndsOn: committee?.termEndsOn ?? null,
      postponedUntil: state.postponedUntil,
      members,
      vacancies: members.filter((seat) => seat.vacant).map(({ memberId, role }) => ({ memberId, role })),
    };
  }
}
