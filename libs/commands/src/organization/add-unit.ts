import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { organizationDecider, establishmentWarnings } from '@registry/domain';
import { type CommandOptions, executeOn, requireUnits } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class AddUnitCommand extends Command<CommandAnswer> {
  constructor(
    readonly organizationId: string,
    readonly input: { readonly unitId: string; readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(AddUnitCommand)
export class AddUnitHandler implements ICommandHandler<AddUnitCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ organizationId, input, options }: AddUnitCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'organization', organizationId, organizationDecider, options, {
      readsLookups: true,
      command: async (state, tx) => {
        if (state.status === 'active' && !state.unitIds.includes(input.unitId))
          await requireUnits(tx, [input.unitId], 'unitId');
        return { type: 'AddUnit' as const, data: { organizationId, ...input } };
      },
      respond: (_events, state, rules) => ({
        warnings:
          state.status === 'none'
            ? []
            : establishmentWarnings(state.unitIds.length + 1, state.establishment.form, rules.jointBranchAdvisedUnits),
      }),
    });
  }
}
