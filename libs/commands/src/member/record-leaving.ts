import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider, type LeavingReason } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class RecordLeavingCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: { readonly reason: LeavingReason; readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(RecordLeavingCommand)
export class RecordLeavingHandler implements ICommandHandler<RecordLeavingCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: RecordLeavingCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'RecordLeaving' as const, data: { memberId, ...input } }),
    });
  }
}
