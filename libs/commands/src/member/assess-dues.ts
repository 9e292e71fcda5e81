import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider, type DuesCategory } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class AssessDuesCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: { readonly from: string; readonly category: DuesCategory; readonly monthlyIncomeFen?: number },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(AssessDuesCommand)
export class AssessDuesHandler implements ICommandHandler<AssessDuesCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: AssessDuesCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'AssessDues' as const, data: { memberId, ...input } }),
      respond: (events) => {
        const assessed = events.find((event) => event.type === 'DuesAssessed');
        return assessed?.type === 'DuesAssessed' ? { monthlyDuesFen: assessed.data.monthlyDuesFen } : {};
      },
    });
  }
}
