import { Inject, Logger } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { inflowDecider } from '@registry/domain';
import { ForgettingLedger, PersonalDataVault } from '@registry/personal-data';
import { type CommandOptions, executeOn, sqlOf } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { recordForgets } from '../forgetting';

export class ForgetInflowPersonalDataCommand extends Command<CommandAnswer> {
  constructor(
    readonly inflowingMemberId: string,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** Crypto-shredding of an inflowing member, as for members. */
@CommandHandler(ForgetInflowPersonalDataCommand)
export class ForgetInflowPersonalDataHandler implements ICommandHandler<ForgetInflowPersonalDataCommand> {
  private readonly logger = new Logger('ForgetInflowPersonalData');

  constructor(
    @Inject(CommandExecutor) private readonly executor: CommandExecutor,
    @Inject(PersonalDataVault) private readonly vault: PersonalDataVault,
    @Inject(ForgettingLedger) private readonly ledger: ForgettingLedger,
  ) {}

  async execute({ inflowingMemberId, options }: ForgetInflowPersonalDataCommand): Promise<CommandAnswer> {
    const { actor } = options.context;
    const answer = await executeOn(this.executor, 'inflow', inflowingMemberId, inflowDecider, options, {
      command: () => ({ type: 'ForgetInflowPersonalData' as const, data: { inflowingMemberId } }),
      alongside: (tx) => this.vault.forget(inflowingMemberId, actor, sqlOf(tx)).then(() => undefined),
    });
    recordForgets(this.ledger, this.logger, [inflowingMemberId], answer, actor);
    return answer;
  }
}
