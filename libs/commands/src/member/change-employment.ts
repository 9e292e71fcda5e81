import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider } from '@registry/domain';
import { type CommandOptions, executeOn, requireUnits } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class ChangeEmploymentCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: { readonly unitId: string | null; readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(ChangeEmploymentCommand)
export class ChangeEmploymentHandler implements ICommandHandler<ChangeEmploymentCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: ChangeEmploymentCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      readsLookups: input.unitId !== null,
      command: async (_state, tx) => {
        if (input.unitId !== null) await requireUnits(tx, [input.unitId], 'unitId');
        return { type: 'ChangeEmployment' as const, data: { memberId, ...input } };
      },
    });
  }
}
