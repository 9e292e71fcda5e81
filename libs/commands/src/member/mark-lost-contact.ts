import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class MarkLostContactCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: { readonly since: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(MarkLostContactCommand)
export class MarkLostContactHandler implements ICommandHandler<MarkLostContactCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: MarkLostContactCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'MarkLostContact' as const, data: { memberId, ...input } }),
    });
  }
}
