import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { organizationDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class PostponeElectionCommand extends Command<CommandAnswer> {
  constructor(
    readonly organizationId: string,
    readonly input: { readonly until: string; readonly approvedOn: string; readonly reason: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** An election put off with the higher committee's approval, at most a year past the term's end. */
@CommandHandler(PostponeElectionCommand)
export class PostponeElectionHandler implements ICommandHandler<PostponeElectionCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ organizationId, input, options }: PostponeElectionCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'organization', organizationId, organizationDecider, options, {
      command: () => ({ type: 'PostponeElection' as const, data: { organizationId, ...input } }),
    });
  }
}
