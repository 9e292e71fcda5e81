import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf } from '@registry/domain';
import { organizationAsOf, organizationTree, rootsOn } from '@registry/projections';
import { ReadSide } from '../read-side';

type OrganizationView = Awaited<ReturnType<typeof organizationAsOf>>;
type TreeNode = Awaited<ReturnType<typeof organizationTree>>;

/** The organisation as of a date: attributes, units, counts (own and subtree). */
export class OrganizationQuery extends Query<OrganizationView> {
  constructor(
    readonly organizationId: string,
    readonly parameters: { readonly asOf?: string; readonly minPosition?: string },
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(OrganizationQuery)
export class OrganizationHandler implements IQueryHandler<OrganizationQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ organizationId, parameters, today }: OrganizationQuery): Promise<OrganizationView> {
    return this.readSide.readModels(['hierarchy'], parameters.minPosition, (db) =>
      organizationAsOf(db, organizationId, parameters.asOf ?? today),
    );
  }
}

/** The subtree as of a date, nested, with subtree counts. */
export class OrganizationTreeQuery extends Query<{ asOf: string } & TreeNode> {
  constructor(
    readonly organizationId: string,
    readonly parameters: { readonly asOf?: string; readonly depth?: number; readonly minPosition?: string },
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(OrganizationTreeQuery)
export class OrganizationTreeHandler implements IQueryHandler<OrganizationTreeQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ organizationId, parameters, today }: OrganizationTreeQuery): Promise<{ asOf: string } & TreeNode> {
    const asOf = parameters.asOf ?? today;
    return this.readSide.readModels(['hierarchy'], parameters.minPosition, async (db) => ({
      asOf,
      ...(await organizationTree(db, organizationId, asOf, parameters.depth)),
    }));
  }
}

/** The organisations at the top of the hierarchy on a date. */
export class OrganizationRootsQuery extends Query<string[]> {
  constructor(readonly asOf: string) {
    super();
  }
}

@QueryHandler(OrganizationRootsQuery)
export class OrganizationRootsHandler implements IQueryHandler<OrganizationRootsQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ asOf }: OrganizationRootsQuery): Promise<string[]> {
    return this.readSide.readModels(['hierarchy'], undefined, (db) => rootsOn(db, asOf));
  }
}
