import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { memberDecider } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class RejectTransferCommand extends Command<CommandAnswer> {
  constructor(
    readonly memberId: string,
    readonly transferId: string,
    readonly input: { readonly reason: string; readonly effectiveOn?: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(RejectTransferCommand)
export class RejectTransferHandler implements ICommandHandler<RejectTransferCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ memberId, transferId, input, options }: RejectTransferCommand): Promise<CommandAnswer> {
    return executeOn(this.executor, 'member', memberId, memberDecider, options, {
      command: () => ({ type: 'RejectTransfer' as const, data: { memberId, transferId, ...input } }),
      respond: () => ({ transferId }),
    });
  }
}
