import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class ReinstateMemberCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: { readonly decidedOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(ReinstateMemberCommand)
export class ReinstateMemberHandler implements ICommandHandler<ReinstateMemberCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: ReinstateMemberCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'ReinstateMember' as const, data: { memberId, ...input } }),
    });
  }
}
