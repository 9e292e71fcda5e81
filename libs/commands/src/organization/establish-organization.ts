import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { type Establishment, establishmentWarnings, organizationDecider } from '@registry/domain';
import { type CommandOptions, executeOn, requireUnits } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { lockHierarchy, organizationForUse } from '../lookups';

export type EstablishmentInput = Omit<Establishment, 'organizationId'> & { readonly id?: string };

export class EstablishOrganizationCommand extends Command<CommandAnswer> {
  constructor(
    readonly input: EstablishmentInput,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(EstablishOrganizationCommand)
export class EstablishOrganizationHandler implements ICommandHandler<EstablishOrganizationCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ input, options }: EstablishOrganizationCommand): Promise<CommandAnswer> {
    const { id, ...rest } = input;
    const organizationId = id ?? uuidv7();
    const establishment: Establishment = { organizationId, ...rest };
    return executeOn(this.executor, 'organization', organizationId, organizationDecider, options, {
      newStream: id === undefined,
      readsLookups: true,
      command: async (_state, tx) => {
        await requireUnits(tx, establishment.unitIds, 'unitIds');
        if (establishment.parentId === undefined)
          return { type: 'EstablishOrganization' as const, data: establishment };
        await lockHierarchy(tx);
        const parent = await organizationForUse(tx, establishment.parentId);
        return { type: 'EstablishOrganization' as const, data: { ...establishment, parent: parent.lookup } };
      },
      respond: (_events, _state, rules) => ({
        warnings: establishmentWarnings(
          establishment.unitIds.length,
          establishment.form,
          rules.jointBranchAdvisedUnits,
        ),
      }),
    });
  }
}
