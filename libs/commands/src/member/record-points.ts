import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider, type PointsEntry } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class RecordPointsCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: PointsEntry,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** 积分: an entry of the member's points for a year. */
@CommandHandler(RecordPointsCommand)
export class RecordPointsHandler implements ICommandHandler<RecordPointsCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: RecordPointsCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'RecordPoints' as const, data: { memberId, ...input } }),
    });
  }
}
