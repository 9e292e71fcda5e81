import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf } from '@registry/domain';
import { addMonths, duesArrears, duesReport, duesRows } from '@registry/projections';
import { ReadSide, subtreeNow } from '../read-side';

type DuesReport = Awaited<ReturnType<typeof duesReport>>;
type ArrearsRow = Awaited<ReturnType<typeof duesArrears>>[number];
type DuesRow = Awaited<ReturnType<typeof duesRows>>[number];

/** Dues expected and collected for a month over an organisation subtree. */
export class DuesQuery extends Query<DuesReport> {
  constructor(
    readonly parameters: { readonly orgId: string; readonly month: string; readonly minPosition?: string },
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(DuesQuery)
export class DuesHandler implements IQueryHandler<DuesQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ parameters, today }: DuesQuery): Promise<DuesReport> {
    return this.readSide.readModels(['dues', 'hierarchy'], parameters.minPosition, (db) =>
      duesReport(db, parameters.orgId, parameters.month, today),
    );
  }
}

export interface ArrearsAnswer {
  readonly minMonths: number;
  readonly throughMonth: string;
  readonly members: ArrearsRow[];
}

/**
 * Members with at least `minMonths` consecutive unpaid months, through the month before the current
 * one unless told otherwise; a caller confined to a `scope` sees only that subtree's members.
 */
export class DuesArrearsQuery extends Query<ArrearsAnswer> {
  constructor(
    readonly parameters: { readonly minMonths: number; readonly throughMonth?: string; readonly minPosition?: string },
    readonly scope: string | undefined,
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(DuesArrearsQuery)
export class DuesArrearsHandler implements IQueryHandler<DuesArrearsQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  async execute({ parameters, scope, today }: DuesArrearsQuery): Promise<ArrearsAnswer> {
    const throughMonth = parameters.throughMonth ?? addMonths(today.slice(0, 7), -1);
    const inside = scope ? await subtreeNow((await this.readSide.sources()).pool, scope) : undefined;
    return this.readSide.readModels(['dues'], parameters.minPosition, async (db) => ({
      minMonths: parameters.minMonths,
      throughMonth,
      members: await duesArrears(db, parameters.minMonths, throughMonth, today, inside),
    }));
  }
}

/** Every member's expected and paid dues for a month, one row each (the CSV export). */
export class DuesRowsQuery extends Query<DuesRow[]> {
  constructor(readonly month: string) {
    super();
  }
}

@QueryHandler(DuesRowsQuery)
export class DuesRowsHandler implements IQueryHandler<DuesRowsQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ month }: DuesRowsQuery): Promise<DuesRow[]> {
    return this.readSide.readModels(['dues'], undefined, (db) => duesRows(db, month));
  }
}
