import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { unitDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class WithdrawInstructorCommand extends Command<CommandAnswer> {
  constructor(
    readonly unitId: string,
    readonly input: { readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** The unit's instructors leave: its work coverage ends from that date. */
@CommandHandler(WithdrawInstructorCommand)
export class WithdrawInstructorHandler implements ICommandHandler<WithdrawInstructorCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ unitId, input, options }: WithdrawInstructorCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'unit', unitId, unitDecider, options, {
      command: () => ({ type: 'WithdrawInstructor' as const, data: { unitId, ...input } }),
    });
  }
}
