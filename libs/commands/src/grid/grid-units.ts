import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { gridDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { unitExists } from '../lookups';

export class JoinGridCommand extends Command<CommandAnswer> {
  constructor(
    readonly gridId: string,
    readonly input: { readonly unitId: string; readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(JoinGridCommand)
export class JoinGridHandler implements ICommandHandler<JoinGridCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ gridId, input, options }: JoinGridCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'grid', gridId, gridDecider, options, {
      readsLookups: true,
      command: async (_state, tx) => ({
        type: 'JoinGrid' as const,
        data: { gridId, ...input, unit: await unitExists(tx, input.unitId) },
      }),
    });
  }
}

export class LeaveGridCommand extends Command<CommandAnswer> {
  constructor(
    readonly gridId: string,
    readonly unitId: string,
    readonly input: { readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(LeaveGridCommand)
export class LeaveGridHandler implements ICommandHandler<LeaveGridCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ gridId, unitId, input, options }: LeaveGridCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'grid', gridId, gridDecider, options, {
      command: () => ({ type: 'LeaveGrid' as const, data: { gridId, unitId, ...input } }),
    });
  }
}
