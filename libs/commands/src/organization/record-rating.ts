import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { organizationDecider, type Rating } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class RecordRatingCommand extends Command<CommandAnswer> {
  constructor(
    readonly organizationId: string,
    readonly input: Rating,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** 星级创建: one star rating per organisation and year. */
@CommandHandler(RecordRatingCommand)
export class RecordRatingHandler implements ICommandHandler<RecordRatingCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ organizationId, input, options }: RecordRatingCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'organization', organizationId, organizationDecider, options, {
      command: () => ({ type: 'RecordRating' as const, data: { organizationId, ...input } }),
    });
  }
}
