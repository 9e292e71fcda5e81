import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider, type MemberEvent, type MemberState } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { organizationForUse } from '../lookups';

/** A letter accepted after its validity is still accepted (the member did report), with a warning. */
function acceptanceWarnings(events: readonly MemberEvent[], state: MemberState): string[] {
  const accepted = events.find((event) => event.type === 'TransferAccepted');
  const letter = state.status === 'member' ? state.pendingTransfer : null;
  return accepted && letter && accepted.data.effectiveOn > letter.validUntil ? ['letter-expired'] : [];
}

export class AcceptTransferCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly transferId: string,
    readonly input: { readonly effectiveOn: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(AcceptTransferCommand)
export class AcceptTransferHandler implements ICommandHandler<AcceptTransferCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, transferId, input, options }: AcceptTransferCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      readsLookups: true,
      command: async (state, tx) => {
        const target = state.status === 'member' ? state.pendingTransfer?.to : undefined;
        const receiving = target && 'orgId' in target ? await organizationForUse(tx, target.orgId) : undefined;
        return {
          type: 'AcceptTransfer' as const,
          data: { memberId, transferId, ...input, ...(receiving ? { receiving: receiving.lookup } : {}) },
        };
      },
      respond: (events, state) => ({ transferId, warnings: acceptanceWarnings(events, state) }),
    });
  }
}
