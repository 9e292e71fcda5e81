import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { unitDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class AssignInstructorCommand extends Command<CommandAnswer> {
  constructor(
    readonly unitId: string,
    readonly input: { readonly name: string; readonly assignedOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(AssignInstructorCommand)
export class AssignInstructorHandler implements ICommandHandler<AssignInstructorCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ unitId, input, options }: AssignInstructorCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'unit', unitId, unitDecider, options, {
      command: () => ({ type: 'AssignInstructor' as const, data: { unitId, ...input } }),
    });
  }
}
