import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { v7 as uuidv7 } from 'uuid';
import { type GridEstablishment, gridDecider, type UnitLookup } from '@registry/domain';
import { type CommandOptions, executeOn } from '../aggregate-command';
import { type CommandAnswer, CommandExecutor } from '../command-executor';
import { latestRatingOn, organizationForUse, unitExists } from '../lookups';

export type GridInput = Omit<GridEstablishment, 'gridId'> & { readonly id?: string };

export class EstablishGridCommand extends Command<CommandAnswer> {
  constructor(
    readonly input: GridInput,
    readonly options: CommandOptions,
  ) {
    super();
  }
}

/** 网格联建: the lead is looked up with its latest rating by the grid's first day, and every unit. */
@CommandHandler(EstablishGridCommand)
export class EstablishGridHandler implements ICommandHandler<EstablishGridCommand> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}

  execute({ input, options }: EstablishGridCommand): Promise<CommandAnswer> {
    const { id, ...rest } = input;
    const gridId = id ?? uuidv7();
    const establishment: GridEstablishment = { gridId, ...rest };
    return executeOn(this.executor, 'grid', gridId, gridDecider, options, {
      newStream: id === undefined,
      readsLookups: true,
      command: async (_state, tx) => {
        const units: UnitLookup[] = [];
        for (const unitId of establishment.unitIds) units.push(await unitExists(tx, unitId));
        return {
          type: 'EstablishGrid' as const,
          data: {
            ...establishment,
            lead: (await organizationForUse(tx, establishment.leadOrgId)).lookup,
            leadRating: await latestRatingOn(tx, establishment.leadOrgId, establishment.establishedOn),
            units,
          },
        };
      },
    });
  }
}
