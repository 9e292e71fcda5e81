import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf } from '@registry/domain';
import { type GridReport, gridReport, NotInReadModel } from '@registry/projections';
import { NotFound } from '../errors';
import { ReadSide } from '../read-side';

/** A grid (网格联建) as of a business date: its lead, its units' coverage and members. */
export class GridQuery extends Query<GridReport> {
  constructor(
    readonly gridId: string,
    readonly parameters: { readonly asOf?: string; readonly minPosition?: string },
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(GridQuery)
export class GridHandler implements IQueryHandler<GridQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ gridId, parameters, today }: GridQuery): Promise<GridReport> {
    const asOf = parameters.asOf ?? today;
    return this.readSide.readModels(
      ['grids', 'coverage', 'hierarchy', 'appraisal'],
      parameters.minPosition,
      async (db) => {
        try {
          return await gridReport(db, gridId, asOf);
        } catch (error) {
          if (error instanceof NotInReadModel) throw new NotFound(error.message, 'grid-not-found');
          throw error;
        }
      },
    );
  }
}
