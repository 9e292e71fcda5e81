import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf } from '@registry/domain';
import { type LostContactRow, lostContactReport } from '@registry/projections';
import { ReadSide } from '../read-side';

export interface LostContactAnswer {
  readonly orgId: string | null;
  readonly today: string;
  readonly members: LostContactRow[];
}

/** Members out of contact (失联) or suspended (停止党籍), flagged when a decision is due; people decide. */
export class LostContactQuery extends Query<LostContactAnswer> {
  constructor(
    readonly parameters: { readonly orgId?: string; readonly minPosition?: string },
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(LostContactQuery)
export class LostContactHandler implements IQueryHandler<LostContactQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ parameters, today }: LostContactQuery): Promise<LostContactAnswer> {
    return this.readSide.readModels(['members', 'hierarchy'], parameters.minPosition, async (db) => ({
      orgId: parameters.orgId ?? null,
      today,
      members: await lostContactReport(db, today, parameters.orgId),
    }));
  }
}
