import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class AnnulProbationCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: { readonly decidedOn: string; readonly reason: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(AnnulProbationCommand)
export class AnnulProbationHandler implements ICommandHandler<AnnulProbationCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: AnnulProbationCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'AnnulProbation' as const, data: { memberId, ...input } }),
    });
  }
}
