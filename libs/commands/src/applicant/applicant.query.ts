import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { streamIdFor } from '@registry/contracts';
import { type ApplicantEvent, applicantDecider, fold, trainingHoursOf } from '@registry/domain';
import { domainEventOf } from '@registry/projections';
import { NotFound } from '../errors';
import { ReadSide } from '../read-side';

/** The applicant as their stream tells it, with its stream version (the ETag). */
export type ApplicantView = Record<string, unknown> & { readonly id: string; readonly streamVersion: number };

/** An applicant straight from their stream: the stage and the date of each step; personal fields only when allowed. */
export class ApplicantQuery extends Query<ApplicantView> {
  constructor(
    readonly applicantId: string,
    readonly withPersonalData: boolean,
  ) {
    super();
  }
}

const notFound = (applicantId: string) =>
  new NotFound(`applicant ${applicantId} has not applied`, 'applicant-not-found');

@QueryHandler(ApplicantQuery)
export class ApplicantHandler implements IQueryHandler<ApplicantQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  async execute({ applicantId, withPersonalData }: ApplicantQuery): Promise<ApplicantView> {
    const { eventStore, personalData } = await this.readSide.sources();
    const events = await eventStore.readStream(streamIdFor('applicant', applicantId));
    const last = events.at(-1);
    if (last === undefined) throw notFound(applicantId);
    const state = fold(
      applicantDecider,
      events.map((event) => domainEventOf<ApplicantEvent>(event)),
    );
    if (state.stage === 'none') throw notFound(applicantId);
    const { application } = state;
    const view: ApplicantView = {
      id: applicantId,
      streamVersion: last.streamVersion,
      stage: state.stage,
      gender: application.gender,
      orgId: application.orgId,
      unitId: application.unitId ?? null,
      occupation: application.occupation ?? null,
      appliedOn: application.appliedOn,
      interview: state.interview,
      activist: state.activist,
      reviews: state.reviews,
      candidate: state.candidate,
      training: { hours: trainingHoursOf(state), sessions: state.trainings },
      admission: state.admission,
      approval: state.approval,
      withdrawal: state.withdrawal,
    };
    if (!withPersonalData) return view;
    const opened = state.personalDataForgotten
      ? ({ erased: true } as const)
      : await personalData.open(applicantId, application.personal);
    return { ...view, personal: opened.erased ? { erased: true } : opened.fields };
  }
}
