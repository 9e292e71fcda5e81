import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf } from '@registry/domain';
import { coverageReport, type CoverageGroupBy, shouldEstablishReport } from '@registry/projections';
import { ReadSide } from '../read-side';

type CoverageReport = Awaited<ReturnType<typeof coverageReport>>;
type ShouldEstablishUnit = Awaited<ReturnType<typeof shouldEstablishReport>>[number];

/** The two coverages (两个覆盖) per region, industry, building, park or grid, as of a date. */
export class CoverageQuery extends Query<CoverageReport> {
  constructor(
    readonly parameters: {
      readonly groupBy: CoverageGroupBy;
      readonly regionCode?: string;
      readonly asOf?: string;
      readonly minPosition?: string;
    },
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(CoverageQuery)
export class CoverageHandler implements IQueryHandler<CoverageQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ parameters, today }: CoverageQuery): Promise<CoverageReport> {
    const readModels = parameters.groupBy === 'grid' ? ['coverage', 'grids'] : ['coverage'];
    return this.readSide.readModels(readModels, parameters.minPosition, (db) =>
      coverageReport(db, parameters.groupBy, parameters.asOf ?? today, parameters.regionCode),
    );
  }
}

export interface ShouldEstablishAnswer {
  readonly asOf: string;
  readonly regionCode: string | null;
  readonly units: ShouldEstablishUnit[];
}

/** Units with enough full members and no organisation of their own (应建未建). */
export class ShouldEstablishQuery extends Query<ShouldEstablishAnswer> {
  constructor(
    readonly parameters: { readonly regionCode?: string; readonly asOf?: string; readonly minPosition?: string },
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(ShouldEstablishQuery)
export class ShouldEstablishHandler implements IQueryHandler<ShouldEstablishQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ parameters, today }: ShouldEstablishQuery): Promise<ShouldEstablishAnswer> {
    const asOf = parameters.asOf ?? today;
    return this.readSide.readModels(['coverage'], parameters.minPosition, async (db) => ({
      asOf,
      regionCode: parameters.regionCode ?? null,
      units: await shouldEstablishReport(db, asOf, parameters.regionCode),
    }));
  }
}
