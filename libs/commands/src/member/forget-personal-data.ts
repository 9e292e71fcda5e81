import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { applicantDecider, memberDecider } from '@registry/domain';
import { ForgettingLedger, PersonalDataVault } from '@registry/personal-data';
import { type CommandOptions, executeOn, sqlOf } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { recordForgets } from '../forgetting';

export class ForgetPersonalDataCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/**
 * Destroys the member's data key with the event that records it: history stays, the person is gone.
 * A member admitted through the pipeline is forgotten as an applicant too, in the same transaction.
 */
@CommandHandler(ForgetPersonalDataCommand)
export class ForgetPersonalDataHandler implements ICommandHandler<ForgetPersonalDataCommand> {
  private readonly logger = new Logger('ForgetPersonalData');

  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(ForgettingLedger) private readonly ledger: ForgettingLedger,
  ) {}

  async execute({ memberId, options }: ForgetPersonalDataCommand): Promise<CommandAnswer> {
    const { actor } = options.context;
    let applicantId: string | undefined;
    const answer = await executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: (state) => {
        applicantId = state.status === 'unregistered' ? undefined : state.registration.applicantId;
        return { type: 'ForgetPersonalData' as const, data: { memberId } };
      },
      alongside: async (tx) => {
        await this.vault.forget(memberId, actor, sqlOf(tx));
        if (applicantId === undefined) return;
        await this.executor.decideAlongside(tx, options.context, `applicant-${applicantId}`, applicantDecider, {
          type: 'ForgetApplicantPersonalData',
          data: { applicantId },
        });
        await this.vault.forget(applicantId, actor, sqlOf(tx));
      },
    });
    recordForgets(this.ledger, this.logger, applicantId ? [memberId, applicantId] : [memberId], answer, actor);
    return answer;
  }
}
