import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class PayDuesCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: {
      readonly months: readonly string[];
      readonly amountFen: number;
      readonly paidOn: string;
      readonly channel: string;
    },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(PayDuesCommand)
export class PayDuesHandler implements ICommandHandler<PayDuesCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: PayDuesCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'PayDues' as const, data: { memberId, ...input } }),
    });
  }
}
