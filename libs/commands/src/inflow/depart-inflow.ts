import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { inflowDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { releaseInflowReservation } from '../lookups';

export class DepartInflowCommand extends Command<CommandAnswer> {
  constructor(
    readonly inflowingMemberId: string,
    readonly input: { readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** The member leaves the host; the ID number may flow in again later. */
@CommandHandler(DepartInflowCommand)
export class DepartInflowHandler implements ICommandHandler<DepartInflowCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ inflowingMemberId, input, options }: DepartInflowCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'inflow', inflowingMemberId, inflowDecider, options, {
      command: () => ({ type: 'DepartInflow' as const, data: { inflowingMemberId, ...input } }),
      alongside: (tx) => releaseInflowReservation(tx, inflowingMemberId),
    });
  }
}
