import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommitteeSeat, organizationDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { committeeHoldersOn, fullMemberCount } from '../lookups';

export class ElectCommitteeCommand extends Command<CommandAnswer> {
  constructor(
    readonly organizationId: string,
    readonly input: {
      readonly electedOn: string;
      readonly members: readonly CommitteeSeat[];
      readonly termYears?: number;
    },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** 换届: every holder must be a full member of the organisation on the day of the election, in business time. */
@CommandHandler(ElectCommitteeCommand)
export class ElectCommitteeHandler implements ICommandHandler<ElectCommitteeCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ organizationId, input, options }: ElectCommitteeCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'organization', organizationId, organizationDecider, options, {
      readsLookups: true,
      command: async (_state, tx) => ({
        type: 'ElectCommittee' as const,
        data: {
          organizationId,
          ...input,
          holders: await committeeHoldersOn(
            tx,
            organizationId,
            input.members.map((seat) => seat.memberId),
            input.electedOn,
          ),
          fullMembers: await fullMemberCount(tx, organizationId),
        },
      }),
    });
  }
}
