import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { applicantDecider, memberDecider } from '@registry/domain';
import { ForgettingLedger, PersonalDataVault } from '@registry/personal-data';
import { type CommandOptions, executeOn, sqlOf } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { recordForgets } from '../forgetting';

export class ForgetApplicantPersonalDataCommand extends Command<CommandAnswer> {
  constructor(
    readonly applicantId: string,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** Crypto-shredding, as for members; an approved applicant is forgotten as the member they became too. */
@CommandHandler(ForgetApplicantPersonalDataCommand)
export class ForgetApplicantPersonalDataHandler implements ICommandHandler<ForgetApplicantPersonalDataCommand> {
  private readonly logger = new Logger('ForgetApplicantPersonalData');

  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(ForgettingLedger) private readonly ledger: ForgettingLedger,
  ) {}

  async execute({ applicantId, options }: ForgetApplicantPersonalDataCommand): Promise<CommandAnswer> {
    const { actor } = options.context;
    let memberId: string | undefined;
    const answer = await executeOn(this.executor, 'applicant', applicantId, applicantDecider, options, {
      command: (state) => {
        memberId = state.stage === 'none' ? undefined : state.approval?.memberId;
        return { type: 'ForgetApplicantPersonalData' as const, data: { applicantId } };
      },
      alongside: async (tx) => {
        await this.vault.forget(applicantId, actor, sqlOf(tx));
        if (memberId === undefined) return;
        await this.executor.decideAlongside(tx, options.context, `member-${memberId}`, memberDecider, {
          type: 'ForgetPersonalData',
          data: { memberId },
        });
        await this.vault.forget(memberId, actor, sqlOf(tx));
      },
    });
    recordForgets(this.ledger, this.logger, memberId ? [applicantId, memberId] : [applicantId], answer, actor);
    return answer;
  }
}
