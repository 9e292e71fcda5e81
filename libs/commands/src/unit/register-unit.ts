import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { unitDecider, type UnitRegistration } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';

export class RegisterUnitCommand extends Command<CommandAnswer> {
  constructor(
    readonly input: Omit<UnitRegistration, 'unitId'> & { readonly id?: string },
    readonly options: CommandOptions,
  ) {
    super();
  }
}

@CommandHandler(RegisterUnitCommand)
export class RegisterUnitHandler implements ICommandHandler<RegisterUnitCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ input, options }: RegisterUnitCommand): Promise<CommandAnswer> {
    const { id, ...rest } = input;
    const unitId = id ?? uuidv7();
    const registration: UnitRegistration = { unitId, ...rest };
    return executeOn(this.executor, 'unit', unitId, unitDecider, options, {
      newStream: id === undefined,
      command: () => ({ type: 'RegisterUnit' as const, data: registration }),
      reservations: () => [
        {
          kind: 'credit-code',
          value: registration.creditCode.toUpperCase(),
          rule: 'credit-code-already-registered',
          message: 'another unit is registered with this unified social credit code',
          field: 'creditCode',
        },
      ],
    });
  }
}
