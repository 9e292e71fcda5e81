import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf } from '@registry/domain';
import { type DevelopmentReport, developmentReport } from '@registry/projections';
import { ReadSide } from '../read-side';

export type DevelopmentAnswer = DevelopmentReport & { readonly today: string };

/** The development pipeline (发展党员) of a subtree in a year, and the steps overdue today. */
export class DevelopmentQuery extends Query<DevelopmentAnswer> {
  constructor(
    readonly parameters: { readonly orgId: string; readonly year?: number; readonly minPosition?: string },
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(DevelopmentQuery)
export class DevelopmentHandler implements IQueryHandler<DevelopmentQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ parameters, today }: DevelopmentQuery): Promise<DevelopmentAnswer> {
    const year = parameters.year ?? Number(today.slice(0, 4));
    return this.readSide.readModels(['development', 'hierarchy'], parameters.minPosition, async (db) => ({
      ...(await developmentReport(db, today, parameters.orgId, year)),
      today,
    }));
  }
}
