import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider } from '@registry/domain';
import { PersonalDataVault } from '@registry/personal-data';
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

/** Destroys the member's data key with the event that records it: history stays, the person is gone. */
@CommandHandler(ForgetPersonalDataCommand)
export class ForgetPersonalDataHandler implements ICommandHandler<ForgetPersonalDataCommand> {
  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
  ) {}

  execute({ memberId, options }: ForgetPersonalDataCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'ForgetPersonalData' as const, data: { memberId } }),
      alongside: async (tx) => {
        await this.vault.forget(memberId, options.context.actor, sqlOf(tx));
      },
    });
  }
}
