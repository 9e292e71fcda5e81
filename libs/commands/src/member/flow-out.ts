import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { organizationForUse } from '../lookups';

export class FlowOutCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: {
      readonly since: string;
      readonly destinationRegionCode: string;
      readonly hostOrgId?: string;
      readonly certificateNo?: string;
    },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(FlowOutCommand)
export class FlowOutHandler implements ICommandHandler<FlowOutCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: FlowOutCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      readsLookups: input.hostOrgId !== undefined,
      command: async (_state, tx) => {
        const host = input.hostOrgId === undefined ? undefined : await organizationForUse(tx, input.hostOrgId);
        return { type: 'FlowOut' as const, data: { memberId, ...input, ...(host ? { host: host.lookup } : {}) } };
      },
    });
  }
}
