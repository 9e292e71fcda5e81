import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  type ActivistDesignation,
  applicantDecider,
  applicantWarnings,
  type Admission,
  type CandidateDesignation,
  type Interview,
  type Review,
  type Training,
  type Withdrawal,
} from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { releaseApplicationReservation, standingsOf } from '../lookups';

/** A step of the pipeline short of approval, with the body its route takes. */
export type ApplicantStep =
  | { readonly kind: 'interview'; readonly input: Interview }
  | { readonly kind: 'activist'; readonly input: ActivistDesignation }
  | { readonly kind: 'review'; readonly input: Review }
  | { readonly kind: 'candidate'; readonly input: CandidateDesignation }
  | { readonly kind: 'training'; readonly input: Training }
  | { readonly kind: 'admission'; readonly input: Admission }
  | { readonly kind: 'withdrawal'; readonly input: Withdrawal };

const STEPS_NAMING_MEMBERS = new Set<ApplicantStep['kind']>(['interview', 'activist', 'candidate']);

export class RecordApplicantStepCommand extends Command<CommandAnswer> {
  constructor(
    readonly applicantId: string,
    readonly step: ApplicantStep,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** The members a step names are looked up (full, probationary or not current) in the transaction that records it. */
@CommandHandler(RecordApplicantStepCommand)
export class RecordApplicantStepHandler implements ICommandHandler<RecordApplicantStepCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ applicantId, step, options }: RecordApplicantStepCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'applicant', applicantId, applicantDecider, options, {
      // Only the steps that name members look them up; the others decide before any transaction.
      readsLookups: STEPS_NAMING_MEMBERS.has(step.kind),
      command: async (_state, tx) => {
        switch (step.kind) {
          case 'interview': {
            const [interviewer = 'none' as const] = await standingsOf(tx, [step.input.interviewerId]);
            return { type: 'RecordInterview' as const, data: { applicantId, ...step.input, interviewer } };
          }
          case 'activist': {
            const contacts = await standingsOf(tx, step.input.contactIds);
            return { type: 'DesignateActivist' as const, data: { applicantId, ...step.input, contacts } };
          }
          case 'review':
            return { type: 'RecordReview' as const, data: { applicantId, ...step.input } };
          case 'candidate': {
            const introducers = await standingsOf(tx, step.input.introducerIds);
            return { type: 'DesignateCandidate' as const, data: { applicantId, ...step.input, introducers } };
          }
          case 'training':
            return { type: 'RecordTraining' as const, data: { applicantId, ...step.input } };
          case 'admission':
            return { type: 'AdmitApplicant' as const, data: { applicantId, ...step.input } };
          case 'withdrawal':
            return { type: 'WithdrawApplication' as const, data: { applicantId, ...step.input } };
        }
      },
      alongside: (tx, events) =>
        events.some((event) => event.type === 'ApplicationWithdrawn')
          ? releaseApplicationReservation(tx, applicantId)
          : Promise.resolve(),
      respond: (events, state) => ({ warnings: applicantWarnings(events, state) }),
    });
  }
}
