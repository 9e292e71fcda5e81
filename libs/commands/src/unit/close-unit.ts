import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { unitDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class CloseUnitCommand extends Command<CommandAnswer> {
  constructor(
    readonly unitId: string,
    readonly input: { readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(CloseUnitCommand)
export class CloseUnitHandler implements ICommandHandler<CloseUnitCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ unitId, input, options }: CloseUnitCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'unit', unitId, unitDecider, options, {
      command: () => ({ type: 'CloseUnit' as const, data: { unitId, ...input } }),
    });
  }
}
