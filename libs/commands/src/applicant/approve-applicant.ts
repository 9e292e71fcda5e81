import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import {
  applicantDecider,
  type ApplicantState,
  applicantWarnings,
  DomainError,
  type KnownApplicant,
  memberDecider,
} from '@registry/domain';
import type { EventStoreTransaction } from '@registry/event-store';
import { PersonalDataVault } from '@registry/personal-data';
import { type CommandOptions, executeOn, sqlOf } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor, type RequestContext } from '../command-executor';
import { organizationForUse, releaseApplicationReservation, unitExists } from '../lookups';

export class ApproveApplicantCommand extends Command<CommandAnswer> {
  constructor(
    readonly applicantId: string,
    readonly input: { readonly approvedOn: string; readonly memberId?: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/**
 * The higher committee's approval makes the person a probationary member, in the same transaction:
 * the member's stream starts with MemberRegistered (joinedOn = the admitting meeting), the personal
 * data is sealed again under the member's own key, and the resident ID number is reserved as for
 * any registration, so one person is registered once.
 */
@CommandHandler(ApproveApplicantCommand)
export class ApproveApplicantHandler implements ICommandHandler<ApproveApplicantCommand> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

  execute({ applicantId, input, options }: ApproveApplicantCommand): Promise<CommandAnswer> {
    let applicant: KnownApplicant | undefined;
    return executeOn(this.executor, 'applicant', applicantId, applicantDecider, options, {
      command: (state) => {
        applicant = state.stage === 'none' ? undefined : state;
        const memberId = input.memberId ?? approvedMemberOf(state) ?? uuidv7();
        return { type: 'ApproveApplicant' as const, data: { applicantId, approvedOn: input.approvedOn, memberId } };
      },
      alongside: async (tx, events) => {
        const approval = events.find((event) => event.type === 'ApplicantApproved');
        if (approval?.type !== 'ApplicantApproved' || !applicant) return;
        await this.registerMember(tx, options.context, applicant, approval.data.memberId);
        await releaseApplicationReservation(tx, applicantId);
      },
      respond: (events, state) => ({
        memberId: events.find((event) => event.type === 'ApplicantApproved')?.data.memberId ?? approvedMemberOf(state),
        warnings: applicantWarnings(events, state),
      }),
    });
  }

  private async registerMember(
    tx: EventStoreTransaction,
    context: RequestContext,
    applicant: KnownApplicant,
    memberId: string,
  ): Promise<void> {
    const { application, admission } = applicant;
    if (!admission) return;
    const opened = applicant.personalDataForgotten
      ? ({ erased: true } as const)
      : await this.vault.open(application.applicantId, application.personal);
    if (opened.erased)
      throw new DomainError(
        'applicant-forgotten',
        "the applicant's personal data was forgotten: they cannot be registered",
      );
    const organization = await organizationForUse(tx, application.orgId);
    // A unit that closed during the pipeline is not where the new member works.
    const unitId =
      application.unitId !== undefined && (await unitExists(tx, application.unitId)) === 'operating'
        ? application.unitId
        : undefined;
    const sealed = await this.vault.seal(memberId, opened.fields, sqlOf(tx));
    await this.executor.decideAlongside(
      tx,
      context,
      `member-${memberId}`,
      memberDecider,
      {
        type: 'RegisterMember',
        data: {
          memberId,
          personal: sealed,
          gender: application.gender,
          joinedOn: admission.meetingOn,
          status: 'probationary',
          orgId: application.orgId,
          ...(unitId === undefined ? {} : { unitId }),
          ...(application.occupation === undefined ? {} : { occupation: application.occupation }),
          effectiveOn: admission.meetingOn,
          applicantId: application.applicantId,
          organization: organization.lookup,
        },
      },
      [
        {
          kind: 'resident-id',
          value: this.vault.residentIdFingerprint(opened.fields.idNumber),
          rule: 'resident-id-already-registered',
          message: 'a member with this resident ID number is already registered',
          field: 'idNumber',
        },
      ],
    );
  }
}

const approvedMemberOf = (state: ApplicantState): string | undefined =>
  state.stage === 'none' ? undefined : state.approval?.memberId;
