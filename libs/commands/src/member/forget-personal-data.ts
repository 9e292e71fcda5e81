import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider } from '@registry/domain';
import { ForgettingLedger, PersonalDataVault } from '@registry/personal-data';
import { type CommandOptions, executeOn, sqlOf } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

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
 * Then writes the forget to the ledger outside the database (ADR 0013), every time, so that repeating
 * a forget whose ledger write failed completes it.
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
    const answer = await executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'ForgetPersonalData' as const, data: { memberId } }),
      alongside: async (tx) => {
        await this.vault.forget(memberId, options.context.actor, sqlOf(tx));
      },
    });
    try {
      this.ledger.record({
        memberId,
        forgottenAt: new Date().toISOString(),
        forgottenBy: options.context.actor,
        position: answer.position,
        streamVersion: answer.streamVersion,
      });
    } catch (error) {
      // The key is gone and the log says so, but a backup older than this forget would bring the
      // person back on restore: answer with an error so the forget is repeated (it is idempotent).
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error(
        `member ${memberId} is forgotten in the database but NOT in the forgetting ledger ${this.ledger.path}: ${reason}`,
      );
      throw new Error(
        `member ${memberId} was forgotten, but the forgetting ledger could not be written; repeat the request`,
        { cause: error },
      );
    }
    return answer;
  }
}
