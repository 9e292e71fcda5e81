import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf } from '@registry/domain';
import { type OrganizationalLifeReport, organizationalLifeReport } from '@registry/projections';
import { ReadSide } from '../read-side';

/** 三会一课 of a subtree over whole months: meetings due and held, and members absent six months. */
export class OrganizationalLifeQuery extends Query<OrganizationalLifeReport> {
  constructor(
    readonly parameters: {
      readonly orgId: string;
      readonly from: string;
      readonly to: string;
      readonly minPosition?: string;
    },
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(OrganizationalLifeQuery)
export class OrganizationalLifeHandler implements IQueryHandler<OrganizationalLifeQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ parameters, today }: OrganizationalLifeQuery): Promise<OrganizationalLifeReport> {
    const { orgId, from, to, minPosition } = parameters;
    return this.readSide.readModels(['meetings', 'members', 'hierarchy'], minPosition, (db) =>
      organizationalLifeReport(db, today, orgId, from, to, this.readSide.settings.meetingFrequencies),
    );
  }
}
