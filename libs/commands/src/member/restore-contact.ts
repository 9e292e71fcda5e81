import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class RestoreContactCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: { readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(RestoreContactCommand)
export class RestoreContactHandler implements ICommandHandler<RestoreContactCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: RestoreContactCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'RestoreContact' as const, data: { memberId, ...input } }),
    });
  }
}
