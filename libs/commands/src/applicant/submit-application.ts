import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { applicantDecider, type Occupation } from '@registry/domain';
import { PersonalDataVault } from '@registry/personal-data';
import { type CommandOptions, executeOn, requireUnits, sqlOf } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { personalFieldsOf } from '../personal-fields';
import { APPLICATION_RESERVATION, organizationForUse, residentIdHeldByCurrentMember } from '../lookups';

export interface ApplicationInput {
  readonly id?: string;
  readonly name: string;
  readonly idNumber: string;
  readonly gender: 'male' | 'female';
  readonly birthDate: string;
  readonly phone?: string;
  readonly orgId: string;
  readonly unitId?: string;
  readonly occupation?: Occupation;
  readonly appliedOn: string;
}

export class SubmitApplicationCommand extends Command<CommandAnswer> {
  constructor(
    readonly input: ApplicationInput,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** Sealed like a member's; the resident ID number holds one open application at a time. */
@CommandHandler(SubmitApplicationCommand)
export class SubmitApplicationHandler implements ICommandHandler<SubmitApplicationCommand> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

  execute({ input, options }: SubmitApplicationCommand): Promise<CommandAnswer> {
    const applicantId = input.id ?? uuidv7();
    const personal = personalFieldsOf(input);
    const fingerprint = this.vault.residentIdFingerprint(personal.idNumber);
    return executeOn(this.executor, 'applicant', applicantId, applicantDecider, options, {
      newStream: input.id === undefined,
      readsLookups: true,
      command: async (_state, tx) => {
        const organization = await organizationForUse(tx, input.orgId);
        if (input.unitId !== undefined) await requireUnits(tx, [input.unitId], 'unitId');
        const sealed = await this.vault.seal(applicantId, personal, sqlOf(tx));
        return {
          type: 'SubmitApplication' as const,
          data: {
            applicantId,
            personal: sealed,
            gender: input.gender,
            orgId: input.orgId,
            ...(input.unitId === undefined ? {} : { unitId: input.unitId }),
            ...(input.occupation === undefined ? {} : { occupation: input.occupation }),
            appliedOn: input.appliedOn,
            birthDate: input.birthDate,
            organization: organization.lookup,
            alreadyAMember: await residentIdHeldByCurrentMember(tx, fingerprint),
          },
        };
      },
      reservations: () => [
        {
          kind: APPLICATION_RESERVATION,
          value: fingerprint,
          rule: 'application-already-open',
          message: 'an application with this resident ID number is already open',
          field: 'idNumber',
        },
      ],
    });
  }
}
