import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class ExtendProbationCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: { readonly months: number; readonly decidedOn: string; readonly reason: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(ExtendProbationCommand)
export class ExtendProbationHandler implements ICommandHandler<ExtendProbationCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: ExtendProbationCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'ExtendProbation' as const, data: { memberId, ...input } }),
    });
  }
}
