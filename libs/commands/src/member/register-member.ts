import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { type ExternalParty, inflowDecider, memberDecider, type MemberStatus, type Occupation } from '@registry/domain';
import { PersonalDataVault } from '@registry/personal-data';
import { type CommandOptions, executeOn, requireUnits, sqlOf } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { personalFieldsOf } from '../personal-fields';
import { openInflowOf, organizationForUse, releaseInflowReservation } from '../lookups';

export interface MemberRegistrationInput {
  readonly id?: string;
  readonly name: string;
  readonly idNumber: string;
  readonly gender: 'male' | 'female';
  readonly birthDate: string;
  readonly phone?: string;
  readonly joinedOn: string;
  readonly status: MemberStatus;
  readonly orgId: string;
  readonly unitId?: string;
  readonly occupation?: Occupation;
  readonly effectiveOn?: string;
  readonly origin?: { readonly external: ExternalParty & { readonly letterNo: string } };
  readonly confirmedOn?: string;
}

export class RegisterMemberCommand extends Command<CommandAnswer> {
  constructor(
    readonly input: MemberRegistrationInput,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** Personal fields are sealed with the member's own data key; the resident ID number is reserved by fingerprint. */
@CommandHandler(RegisterMemberCommand)
export class RegisterMemberHandler implements ICommandHandler<RegisterMemberCommand> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

  execute({ input, options }: RegisterMemberCommand): Promise<CommandAnswer> {
    const memberId = input.id ?? uuidv7();
    const personal = personalFieldsOf(input);
    const fingerprint = this.vault.residentIdFingerprint(personal.idNumber);
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      newStream: input.id === undefined,
      readsLookups: true,
      command: async (_state, tx) => {
        const organization = await organizationForUse(tx, input.orgId);
        if (input.unitId !== undefined) await requireUnits(tx, [input.unitId], 'unitId');
        const sealed = await this.vault.seal(memberId, personal, sqlOf(tx));
        return {
          type: 'RegisterMember' as const,
          data: {
            memberId,
            personal: sealed,
            gender: input.gender,
            joinedOn: input.joinedOn,
            status: input.status,
            orgId: input.orgId,
            ...(input.unitId === undefined ? {} : { unitId: input.unitId }),
            ...(input.occupation === undefined ? {} : { occupation: input.occupation }),
            effectiveOn: input.effectiveOn ?? options.context.today,
            ...(input.origin === undefined ? {} : { origin: input.origin }),
            ...(input.confirmedOn === undefined ? {} : { confirmedOn: input.confirmedOn }),
            organization: organization.lookup,
          },
        };
      },
      // Someone hosted as an inflowing member who now registers here (a transfer in) ends the inflow.
      alongside: async (tx, events) => {
        const registered = events.find((event) => event.type === 'MemberRegistered');
        const inflowingMemberId = registered && (await openInflowOf(tx, fingerprint));
        if (!registered || !inflowingMemberId) return;
        await this.executor.decideAlongside(tx, options.context, `inflow-${inflowingMemberId}`, inflowDecider, {
          type: 'ConvertInflow',
          data: { inflowingMemberId, memberId, effectiveOn: registered.data.effectiveOn },
        });
        await releaseInflowReservation(tx, inflowingMemberId);
      },
      reservations: () => [
        {
          kind: 'resident-id',
          value: fingerprint,
          rule: 'resident-id-already-registered',
          message: 'a member with this resident ID number is already registered',
          field: 'idNumber',
        },
        ...(input.origin
          ? [
              {
                kind: 'letter-no',
                value: input.origin.external.letterNo,
                rule: 'letter-number-used',
                message: `letter ${input.origin.external.letterNo} was already used`,
                field: 'origin.external.letterNo',
              },
            ]
          : []),
      ],
    });
  }
}
