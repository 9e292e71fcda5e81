import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { organizationDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { ancestorsForReparenting, organizationForUse } from '../lookups';

export class ReparentOrganizationCommand extends Command<CommandAnswer> {
  constructor(
    readonly organizationId: string,
    readonly input: { readonly parentId: string; readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(ReparentOrganizationCommand)
export class ReparentOrganizationHandler implements ICommandHandler<ReparentOrganizationCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ organizationId, input, options }: ReparentOrganizationCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'organization', organizationId, organizationDecider, options, {
      readsLookups: true,
      command: async (_state, tx) => {
        const parentAncestorIds = await ancestorsForReparenting(tx, input.parentId);
        const parent = await organizationForUse(tx, input.parentId);
        return {
          type: 'ReparentOrganization' as const,
          data: { organizationId, ...input, parent: parent.lookup, parentAncestorIds },
        };
      },
    });
  }
}
