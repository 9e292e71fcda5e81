import { Controller, Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { businessDateOf } from '@registry/domain';
import {
  AppraisalsQuery,
  CommitteeQuery,
  CoverageQuery,
  DevelopmentQuery,
  DuesArrearsQuery,
  DuesQuery,
  FlowingQuery,
  LostContactQuery,
  OrganizationalLifeQuery,
  OrganizationQuery,
  OrganizationRootsQuery,
  OrganizationTreeQuery,
  ShouldEstablishQuery,
  PointsQuery,
  RatingsQuery,
  TermsQuery,
  TransfersQuery,
} from '@registry/commands';
import {
  arrearsAnswer,
  appraisalsAnswer,
  committeeAnswer,
  coverageAnswer,
  developmentAnswer,
  duesAnswer,
  flowingAnswer,
  lostContactAnswer,
  organizationalLifeAnswer,
  organizationAnswer,
  organizationRootsAnswer,
  organizationTreeAnswer,
  shouldEstablishAnswer,
  pointsAnswer,
  ratingsAnswer,
  termsAnswer,
  transfersAnswer,
} from './answers';
import { CallerScope, UuidParam, ValidQuery } from './parameters';
import { QueryRoute } from './query-route';
import { RateLimit } from './rate-limits';
import {
  arrearsQuery,
  committeeQuery,
  coverageQuery,
  developmentQuery,
  duesQuery,
  flowingQuery,
  lostContactQuery,
  organizationalLifeQuery,
  organizationQuery,
  shouldEstablishQuery,
  termsQuery,
  transfersQuery,
  yearInSubtreeQuery,
  treeQuery,
} from './query-schemas';

@ApiTags('organizations')
@Controller('v1/organizations')
export class OrganizationQueriesController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @QueryRoute({
    summary: 'The organisations at the top of the hierarchy on a date (where a browser starts)',
    query: organizationQuery,
    answer: organizationRootsAnswer,
  })
  async roots(@ValidQuery() query: OrganizationQuery['parameters'], @CallerScope() scope: string | undefined) {
    const asOf = query.asOf ?? businessDateOf(new Date());
    return { asOf, roots: scope ? [scope] : await this.queries.execute(new OrganizationRootsQuery(asOf)) };
  }

  @QueryRoute({
    path: ':id',
    summary: 'The organisation as of a date: attributes, units, counts (own and subtree)',
    query: organizationQuery,
    answer: organizationAnswer,
  })
  organization(@UuidParam('id') organizationId: string, @ValidQuery() query: OrganizationQuery['parameters']) {
    return this.queries.execute(new OrganizationQuery(organizationId, query));
  }

  @QueryRoute({
    path: ':id/tree',
    summary: 'The subtree as of a date, nested, with subtree counts',
    query: treeQuery,
    answer: organizationTreeAnswer,
  })
  tree(@UuidParam('id') organizationId: string, @ValidQuery() query: OrganizationTreeQuery['parameters']) {
    return this.queries.execute(new OrganizationTreeQuery(organizationId, query));
  }

  @QueryRoute({
    path: ':id/committee',
    summary: 'The committee as of a date, from the streams (always current): roles, term, postponement, vacancies',
    query: committeeQuery,
    answer: committeeAnswer,
  })
  committee(@UuidParam('id') organizationId: string, @ValidQuery() query: CommitteeQuery['parameters']) {
    return this.queries.execute(new CommitteeQuery(organizationId, query));
  }
}

@ApiTags('reports')
@Controller('v1/coverage')
@RateLimit('reports')
export class CoverageController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @QueryRoute({
    summary:
      'The two coverages (两个覆盖) per region, industry, building or park, as of a date; numerators and denominators',
    query: coverageQuery,
    answer: coverageAnswer,
  })
  coverage(@ValidQuery() query: CoverageQuery['parameters']) {
    return this.queries.execute(new CoverageQuery(query));
  }
}

@ApiTags('reports')
@Controller('v1/reports')
@RateLimit('reports')
export class ReportsController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @QueryRoute({
    path: 'transfers',
    summary: 'Pending transfers; overdue = letter past its validity and not accepted (口袋党员 risk)',
    query: transfersQuery,
    answer: transfersAnswer,
  })
  transfers(@ValidQuery() query: TransfersQuery['parameters'], @CallerScope() scope: string | undefined) {
    return this.queries.execute(new TransfersQuery(query, scope));
  }

  @QueryRoute({
    path: 'dues',
    summary: 'Dues expected and collected for a month over an organisation subtree',
    query: duesQuery,
    answer: duesAnswer,
  })
  dues(@ValidQuery() query: DuesQuery['parameters']) {
    return this.queries.execute(new DuesQuery(query));
  }

  @QueryRoute({
    path: 'dues-arrears',
    summary: 'Members with at least minMonths consecutive unpaid months (reported, never removed automatically)',
    query: arrearsQuery,
    answer: arrearsAnswer,
  })
  arrears(@ValidQuery() query: DuesArrearsQuery['parameters'], @CallerScope() scope: string | undefined) {
    return this.queries.execute(new DuesArrearsQuery(query, scope));
  }

  @QueryRoute({
    path: 'flowing',
    summary: 'Flowing members (流动党员) hosted in a subtree, by occupation, origin region and host',
    query: flowingQuery,
    answer: flowingAnswer,
  })
  flowing(@ValidQuery() query: FlowingQuery['parameters']) {
    return this.queries.execute(new FlowingQuery(query));
  }

  @QueryRoute({
    path: 'lost-contact',
    summary: 'Members out of contact (失联) or suspended (停止党籍), flagged when a suspension or removal is due',
    query: lostContactQuery,
    answer: lostContactAnswer,
  })
  lostContact(@ValidQuery() query: LostContactQuery['parameters']) {
    return this.queries.execute(new LostContactQuery(query));
  }

  @QueryRoute({
    path: 'terms',
    summary: 'Terms (换届) in a subtree ending within N months (due) or ended with no new election (overdue)',
    query: termsQuery,
    answer: termsAnswer,
  })
  terms(@ValidQuery() query: TermsQuery['parameters']) {
    return this.queries.execute(new TermsQuery(query));
  }

  @QueryRoute({
    path: 'organizational-life',
    summary:
      'Organisational life (三会一课) of a subtree over whole months: per branch and kind, meetings due and held; members absent six months',
    query: organizationalLifeQuery,
    answer: organizationalLifeAnswer,
  })
  organizationalLife(@ValidQuery() query: OrganizationalLifeQuery['parameters']) {
    return this.queries.execute(new OrganizationalLifeQuery(query));
  }

  @QueryRoute({
    path: 'ratings',
    summary:
      'Star ratings (星级创建) of a subtree for a year: counts by stars; rectify (≤ 2), standard (3), exemplary (≥ 4)',
    query: yearInSubtreeQuery,
    answer: ratingsAnswer,
  })
  ratings(@ValidQuery() query: RatingsQuery['parameters']) {
    return this.queries.execute(new RatingsQuery(query));
  }

  @QueryRoute({
    path: 'points',
    summary:
      'Points (积分定等) of the current members of a subtree for a year: score and band (honour, normal, support)',
    query: yearInSubtreeQuery,
    answer: pointsAnswer,
  })
  points(@ValidQuery() query: PointsQuery['parameters']) {
    return this.queries.execute(new PointsQuery(query));
  }

  @QueryRoute({
    path: 'appraisals',
    summary: 'Democratic appraisal (民主评议) of the current members of a subtree for a year, by grade',
    query: yearInSubtreeQuery,
    answer: appraisalsAnswer,
  })
  appraisals(@ValidQuery() query: AppraisalsQuery['parameters']) {
    return this.queries.execute(new AppraisalsQuery(query));
  }

  @QueryRoute({
    path: 'development',
    summary: 'The development pipeline (发展党员) of a subtree: entries into each stage in a year, and overdue steps',
    query: developmentQuery,
    answer: developmentAnswer,
  })
  development(@ValidQuery() query: DevelopmentQuery['parameters']) {
    return this.queries.execute(new DevelopmentQuery(query));
  }

  @QueryRoute({
    path: 'should-establish',
    summary: 'Units with enough full members and no organisation of their own (应建未建)',
    query: shouldEstablishQuery,
    answer: shouldEstablishAnswer,
  })
  shouldEstablish(@ValidQuery() query: ShouldEstablishQuery['parameters']) {
    return this.queries.execute(new ShouldEstablishQuery(query));
  }
}
