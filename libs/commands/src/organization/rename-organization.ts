import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { organizationDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class RenameOrganizationCommand extends Command<CommandAnswer> {
  constructor(
    readonly organizationId: string,
    readonly input: { readonly name: string; readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(RenameOrganizationCommand)
export class RenameOrganizationHandler implements ICommandHandler<RenameOrganizationCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ organizationId, input, options }: RenameOrganizationCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'organization', organizationId, organizationDecider, options, {
      command: () => ({ type: 'RenameOrganization' as const, data: { organizationId, ...input } }),
    });
  }
}
