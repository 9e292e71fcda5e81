import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { type ExternalParty, inflowDecider, type Occupation } from '@registry/domain';
import { PersonalDataVault } from '@registry/personal-data';
import { type CommandOptions, executeOn, sqlOf } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { personalFieldsOf } from '../personal-fields';
import { INFLOW_RESERVATION, organizationForUse, residentIdHeldByCurrentMember } from '../lookups';

export interface InflowingMemberInput {
  readonly id?: string;
  readonly name: string;
  readonly idNumber: string;
  readonly gender: 'male' | 'female';
  readonly birthDate: string;
  readonly phone?: string;
  readonly home: ExternalParty;
  readonly hostOrgId: string;
  readonly since: string;
  readonly occupation?: Occupation;
  readonly certificateNo?: string;
}

export class RegisterInflowingMemberCommand extends Command<CommandAnswer> {
  constructor(
    readonly input: InflowingMemberInput,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** Sealed like a member's; the resident ID number holds one open inflow at a time. */
@CommandHandler(RegisterInflowingMemberCommand)
export class RegisterInflowingMemberHandler implements ICommandHandler<RegisterInflowingMemberCommand> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

  execute({ input, options }: RegisterInflowingMemberCommand): Promise<CommandAnswer> {
    const inflowingMemberId = input.id ?? uuidv7();
    const personal = personalFieldsOf(input);
    const fingerprint = this.vault.residentIdFingerprint(personal.idNumber);
    return executeOn(this.executor, 'inflow', inflowingMemberId, inflowDecider, options, {
      newStream: input.id === undefined,
      readsLookups: true,
      command: async (_state, tx) => {
        const host = await organizationForUse(tx, input.hostOrgId);
        const sealed = await this.vault.seal(inflowingMemberId, personal, sqlOf(tx));
        return {
          type: 'RegisterInflowingMember' as const,
          data: {
            inflowingMemberId,
            personal: sealed,
            gender: input.gender,
            home: input.home,
            hostOrgId: input.hostOrgId,
            since: input.since,
            ...(input.occupation === undefined ? {} : { occupation: input.occupation }),
            ...(input.certificateNo === undefined ? {} : { certificateNo: input.certificateNo }),
            host: host.lookup,
            alreadyAMember: await residentIdHeldByCurrentMember(tx, fingerprint),
          },
        };
      },
      reservations: () => [
        {
          kind: INFLOW_RESERVATION,
          value: fingerprint,
          rule: 'inflow-already-open',
          message: 'an inflowing member with this resident ID number is already hosted',
          field: 'idNumber',
        },
      ],
    });
  }
}
