import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { memberDecider, type TransferTarget } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { organizationForUse } from '../lookups';

export class InitiateTransferCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly input: {
      readonly to: TransferTarget;
      readonly effectiveOn: string;
      readonly letterNo?: string;
      readonly validUntil?: string;
    },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** Answers with the transfer's id: the new one, or the pending one when the same transfer was already initiated. */
@CommandHandler(InitiateTransferCommand)
export class InitiateTransferHandler implements ICommandHandler<InitiateTransferCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, input, options }: InitiateTransferCommand): Promise<CommandAnswer> {
    const transferId = uuidv7();
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      readsLookups: true,
      command: async (state, tx) => {
        const from =
          state.status !== 'unregistered' && state.orgId ? await organizationForUse(tx, state.orgId) : undefined;
        const receiving = 'orgId' in input.to ? await organizationForUse(tx, input.to.orgId) : undefined;
        const toRegionCode = 'orgId' in input.to ? (receiving?.regionCode ?? '') : input.to.external.regionCode;
        return {
          type: 'InitiateTransfer' as const,
          data: {
            memberId,
            transferId,
            ...input,
            ...(receiving ? { receiving: receiving.lookup } : {}),
            fromRegionCode: from?.regionCode ?? '',
            toRegionCode,
          },
        };
      },
      reservations: () =>
        input.letterNo === undefined
          ? []
          : [
              {
                kind: 'letter-no',
                value: input.letterNo,
                rule: 'letter-number-used',
                message: `letter ${input.letterNo} was already used`,
                field: 'letterNo',
              },
            ],
      respond: (events) => {
        const initiated = events.find((event) => event.type === 'TransferInitiated');
        return { transferId: initiated?.type === 'TransferInitiated' ? initiated.data.transferId : transferId };
      },
    });
  }
}
