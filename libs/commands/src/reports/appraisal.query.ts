import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf } from '@registry/domain';
import {
  type AppraisalsReport,
  appraisalsReport,
  type PointsReport,
  pointsReport,
  type RatingsReport,
  ratingsReport,
} from '@registry/projections';
import { ReadSide } from '../read-side';

type YearInSubtree = { readonly orgId: string; readonly year?: number; readonly minPosition?: string };

const lastYear = (today: string): number => Number(today.slice(0, 4)) - 1;

/** Star ratings (星级创建) of a subtree for a year (default: last year, the one rated early this year). */
export class RatingsQuery extends Query<RatingsReport> {
  constructor(
    readonly parameters: YearInSubtree,
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(RatingsQuery)
export class RatingsHandler implements IQueryHandler<RatingsQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ parameters, today }: RatingsQuery): Promise<RatingsReport> {
    const year = parameters.year ?? lastYear(today);
    return this.readSide.readModels(['appraisal', 'hierarchy'], parameters.minPosition, (db) =>
      ratingsReport(db, today, parameters.orgId, year),
    );
  }
}

/** Democratic appraisal (民主评议) of a subtree's members for a year (default: last year). */
export class AppraisalsQuery extends Query<AppraisalsReport> {
  constructor(
    readonly parameters: YearInSubtree,
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(AppraisalsQuery)
export class AppraisalsHandler implements IQueryHandler<AppraisalsQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ parameters, today }: AppraisalsQuery): Promise<AppraisalsReport> {
    const year = parameters.year ?? lastYear(today);
    return this.readSide.readModels(['appraisal', 'members', 'hierarchy'], parameters.minPosition, (db) =>
      appraisalsReport(db, today, parameters.orgId, year),
    );
  }
}

/** Points (积分定等) of a subtree's current members for a year (default: this year, still running). */
export class PointsQuery extends Query<PointsReport> {
  constructor(
    readonly parameters: YearInSubtree,
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(PointsQuery)
export class PointsHandler implements IQueryHandler<PointsQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ parameters, today }: PointsQuery): Promise<PointsReport> {
    const year = parameters.year ?? Number(today.slice(0, 4));
    return this.readSide.readModels(['appraisal', 'members', 'hierarchy'], parameters.minPosition, (db) =>
      pointsReport(db, today, parameters.orgId, year, this.readSide.settings.points),
    );
  }
}
