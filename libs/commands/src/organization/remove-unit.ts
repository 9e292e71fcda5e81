import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { organizationDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class RemoveUnitCommand extends Command<CommandAnswer> {
  constructor(
    readonly organizationId: string,
    readonly unitId: string,
    readonly input: { readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(RemoveUnitCommand)
export class RemoveUnitHandler implements ICommandHandler<RemoveUnitCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ organizationId, unitId, input, options }: RemoveUnitCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'organization', organizationId, organizationDecider, options, {
      command: () => ({ type: 'RemoveUnit' as const, data: { organizationId, unitId, ...input } }),
    });
  }
}
