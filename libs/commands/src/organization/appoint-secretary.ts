import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { organizationDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { currentMembershipOf } from '../lookups';

export class AppointSecretaryCommand extends Command<CommandAnswer> {
  constructor(
    readonly organizationId: string,
    readonly input: { readonly memberId: string; readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(AppointSecretaryCommand)
export class AppointSecretaryHandler implements ICommandHandler<AppointSecretaryCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ organizationId, input, options }: AppointSecretaryCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'organization', organizationId, organizationDecider, options, {
      readsLookups: true,
      command: async (_state, tx) => {
        const membership = await currentMembershipOf(tx, input.memberId);
        return {
          type: 'AppointSecretary' as const,
          data: {
            organizationId,
            ...input,
            memberOrganizationId: membership?.organizationId,
            memberStanding: membership?.standing,
          },
        };
      },
    });
  }
}
