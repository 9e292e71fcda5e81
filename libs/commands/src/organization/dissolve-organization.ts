import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { organizationDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { occupancyForDissolution } from '../lookups';

export class DissolveOrganizationCommand extends Command<CommandAnswer> {
  constructor(
    readonly organizationId: string,
    readonly input: { readonly effectiveOn: string; readonly reason: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(DissolveOrganizationCommand)
export class DissolveOrganizationHandler implements ICommandHandler<DissolveOrganizationCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ organizationId, input, options }: DissolveOrganizationCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'organization', organizationId, organizationDecider, options, {
      readsLookups: true,
      command: async (_state, tx) => ({
        type: 'DissolveOrganization' as const,
        data: { organizationId, ...input, ...(await occupancyForDissolution(tx, organizationId)) },
      }),
    });
  }
}
