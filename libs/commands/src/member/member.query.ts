import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { streamIdFor } from '@registry/contracts';
import { fold, memberDecider, type MemberEvent } from '@registry/domain';
import { domainEventOf } from '@registry/projections';
import { NotFound } from '../errors';
import { ReadSide } from '../read-side';

/** The member as their stream tells it, with its stream version (the ETag). */
export type MemberView = Record<string, unknown> & { readonly id: string; readonly streamVersion: number };

/** A member straight from their stream; personal fields opened only when the caller may see them. */
export class MemberQuery extends Query<MemberView> {
  constructor(
    readonly memberId: string,
    readonly withPersonalData: boolean,
  ) {
    super();
  }
}

const notRegistered = (memberId: string) => new NotFound(`member ${memberId} is not registered`, 'member-not-found');

@QueryHandler(MemberQuery)
export class MemberHandler implements IQueryHandler<MemberQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  async execute({ memberId, withPersonalData }: MemberQuery): Promise<MemberView> {
    const { eventStore, personalData } = await this.readSide.sources();
    const events = await eventStore.readStream(streamIdFor('member', memberId));
    const last = events.at(-1);
    if (last === undefined) throw notRegistered(memberId);
    const state = fold(
      memberDecider,
      events.map((event) => domainEventOf<MemberEvent>(event)),
    );
    if (state.status === 'unregistered') throw notRegistered(memberId);
    const { personal, ...registration } = state.registration;
    const view: MemberView & Record<string, unknown> = {
      id: memberId,
      streamVersion: last.streamVersion,
      status: state.status,
      standing: state.standing,
      gender: registration.gender,
      joinedOn: registration.joinedOn,
      confirmedOn: state.confirmedOn,
      fullSince: state.fullSince,
      probationEndsOn: state.standing === 'probationary' ? state.probationEndsOn : null,
      probationExtension: state.probationExtension,
      suspendedOn: state.suspendedOn,
      orgId: state.orgId,
      unitId: state.unitId,
      occupation: registration.occupation ?? null,
      registeredOn: registration.effectiveOn,
      origin: registration.origin ?? null,
      pendingTransfer: state.pendingTransfer,
      transfers: state.transfers,
      flowing: state.flowing,
      lostContactSince: state.lostContactSince,
      dues: {
        assessments: state.assessments.map(({ from, monthlyDuesFen }) => ({ from, monthlyDuesFen })),
        paidMonths: [...state.paidMonths].sort(),
      },
      left: state.status === 'left' ? state.left : null,
    };
    if (!withPersonalData) return view;
    const opened = state.personalDataForgotten
      ? ({ erased: true } as const)
      : await personalData.open(memberId, personal);
    return { ...view, personal: opened.erased ? { erased: true } : opened.fields };
  }
}
