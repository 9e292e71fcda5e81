import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class SuspendMemberCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: { readonly decidedOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(SuspendMemberCommand)
export class SuspendMemberHandler implements ICommandHandler<SuspendMemberCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: SuspendMemberCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'SuspendMember' as const, data: { memberId, ...input } }),
    });
  }
}
