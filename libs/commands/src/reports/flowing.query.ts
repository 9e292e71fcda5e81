import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf } from '@registry/domain';
import { flowingReport } from '@registry/projections';
import { ReadSide } from '../read-side';

type FlowingReport = Awaited<ReturnType<typeof flowingReport>>;

/** Flowing members (流动党员) hosted in a subtree, by occupation, origin region and host. */
export class FlowingQuery extends Query<FlowingReport> {
  constructor(
    readonly parameters: { readonly hostOrgId?: string; readonly minPosition?: string },
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(FlowingQuery)
export class FlowingHandler implements IQueryHandler<FlowingQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ parameters, today }: FlowingQuery): Promise<FlowingReport> {
    return this.readSide.readModels(['flowing', 'hierarchy'], parameters.minPosition, (db) =>
      flowingReport(db, today, parameters.hostOrgId),
    );
  }
}
