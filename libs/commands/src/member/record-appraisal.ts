import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type Appraisal, memberDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class RecordAppraisalCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: Appraisal,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** 民主评议: one grade per member and year. */
@CommandHandler(RecordAppraisalCommand)
export class RecordAppraisalHandler implements ICommandHandler<RecordAppraisalCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: RecordAppraisalCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'RecordAppraisal' as const, data: { memberId, ...input } }),
    });
  }
}
