import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf } from '@registry/domain';
import { transfersReport } from '@registry/projections';
import { ReadSide, subtreeNow } from '../read-side';

type TransferRow = Awaited<ReturnType<typeof transfersReport>>[number];

export interface TransfersAnswer {
  readonly status: 'pending' | 'overdue';
  readonly today: string;
  readonly transfers: TransferRow[];
}

/**
 * Pending transfers; overdue = letter past its validity and not accepted (口袋党员 risk). A caller
 * confined to a `scope` sees the transfers leaving or entering that organisation's subtree.
 */
export class TransfersQuery extends Query<TransfersAnswer> {
  constructor(
    readonly parameters: { readonly status: 'pending' | 'overdue'; readonly minPosition?: string },
    readonly scope: string | undefined,
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(TransfersQuery)
export class TransfersHandler implements IQueryHandler<TransfersQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  async execute({ parameters, scope, today }: TransfersQuery): Promise<TransfersAnswer> {
    const inside = scope ? new Set(await subtreeNow((await this.readSide.sources()).pool, scope)) : undefined;
    return this.readSide.readModels(['transfers'], parameters.minPosition, async (db) => {
      const rows = await transfersReport(db, parameters.status, today);
      const visible = inside
        ? rows.filter((t) => inside.has(t.fromOrgId) || ('orgId' in t.to && inside.has(t.to.orgId)))
        : rows;
      return { status: parameters.status, today, transfers: visible };
    });
  }
}
