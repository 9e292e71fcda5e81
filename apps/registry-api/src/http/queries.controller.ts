import { Controller, Inject, Param, Query, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import {
  coverageReport,
  duesArrears,
  duesReport,
  flowingReport,
  organizationAsOf,
  organizationTree,
  shouldEstablishReport,
  transfersReport,
} from '@registry/projections';
import { addMonths } from '@registry/projections';
import { principalOf } from './auth';
import { QueryRoute } from './query-route';
import {
  arrearsQuery,
  coverageQuery,
  duesQuery,
  flowingQuery,
  organizationQuery,
  shouldEstablishQuery,
  transfersQuery,
  treeQuery,
} from './query-schemas';
import { parseQuery, ReadModels } from './read-models';
import { OrganizationScope, scopeOf } from './scope';
import { businessToday, parseUuid } from './validation';

const COUNTS = {
  type: 'object',
  properties: Object.fromEntries(
    ['members', 'full', 'probationary', 'flowingIn', 'flowingOut'].map((k) => [k, { type: 'integer' }]),
  ),
};

const TREE = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    level: { type: 'string', enum: ['committee', 'general-branch', 'branch'] },
    form: { type: 'string' },
    regionCode: { type: 'string' },
    counts: { ...COUNTS, description: 'subtree totals' },
    ownCounts: { ...COUNTS, description: 'the organisation itself' },
    children: { type: 'array', items: { type: 'object', description: 'the same shape, nested' } },
  },
};

@ApiTags('organizations')
@Controller('v1/organizations')
export class OrganizationQueriesController {
  constructor(@Inject(ReadModels) private readonly readModels: ReadModels) {}

  @QueryRoute({
    path: ':id',
    summary: 'The organisation as of a date: attributes, units, counts (own and subtree)',
    query: organizationQuery,
  })
  organization(@Param('id') id: string, @Query() query: unknown) {
    const q = parseQuery(organizationQuery, query);
    return this.readModels.read(['hierarchy'], q.minPosition, (db) =>
      organizationAsOf(db, parseUuid(id, 'id'), q.asOf ?? businessToday()),
    );
  }

  @QueryRoute({
    path: ':id/tree',
    summary: 'The subtree as of a date, nested, with subtree counts',
    query: treeQuery,
    response: TREE,
  })
  tree(@Param('id') id: string, @Query() query: unknown) {
    const q = parseQuery(treeQuery, query);
    const asOf = q.asOf ?? businessToday();
    return this.readModels.read(['hierarchy'], q.minPosition, async (db) => ({
      asOf,
      ...(await organizationTree(db, parseUuid(id, 'id'), asOf, q.depth)),
    }));
  }
}

@ApiTags('reports')
@Controller('v1/coverage')
export class CoverageController {
  constructor(@Inject(ReadModels) private readonly readModels: ReadModels) {}

  @QueryRoute({
    summary:
      'The two coverages (两个覆盖) per region, industry, building or park, as of a date; numerators and denominators',
    query: coverageQuery,
  })
  coverage(@Query() query: unknown) {
    const q = parseQuery(coverageQuery, query);
    return this.readModels.read(['coverage'], q.minPosition, (db) =>
      coverageReport(db, q.groupBy, q.asOf ?? businessToday(), q.regionCode),
    );
  }
}

@ApiTags('reports')
@Controller('v1/reports')
export class ReportsController {
  constructor(
    @Inject(ReadModels) private readonly readModels: ReadModels,
    @Inject(OrganizationScope) private readonly scopes: OrganizationScope,
  ) {}

  @QueryRoute({
    path: 'transfers',
    summary: 'Pending transfers; overdue = letter past its validity and not accepted (口袋党员 risk)',
    query: transfersQuery,
  })
  async transfers(@Query() query: unknown, @Req() request: Request) {
    const q = parseQuery(transfersQuery, query);
    const today = businessToday();
    const scope = scopeOf(principalOf(request));
    const inside = scope ? new Set(await this.scopes.subtree(scope)) : undefined;
    return this.readModels.read(['transfers'], q.minPosition, async (db) => {
      const rows = await transfersReport(db, q.status, today);
      const visible = inside
        ? rows.filter((t) => inside.has(t.fromOrgId) || ('orgId' in t.to && inside.has(t.to.orgId)))
        : rows;
      return { status: q.status, today, transfers: visible };
    });
  }

  @QueryRoute({
    path: 'dues',
    summary: 'Dues expected and collected for a month over an organisation subtree',
    query: duesQuery,
  })
  dues(@Query() query: unknown) {
    const q = parseQuery(duesQuery, query);
    return this.readModels.read(['dues', 'hierarchy'], q.minPosition, (db) =>
      duesReport(db, q.orgId, q.month, businessToday()),
    );
  }

  @QueryRoute({
    path: 'dues-arrears',
    summary: 'Members with at least minMonths consecutive unpaid months (reported, never removed automatically)',
    query: arrearsQuery,
  })
  async arrears(@Query() query: unknown, @Req() request: Request) {
    const q = parseQuery(arrearsQuery, query);
    const today = businessToday();
    const throughMonth = q.throughMonth ?? addMonths(today.slice(0, 7), -1);
    const scope = scopeOf(principalOf(request));
    const inside = scope ? await this.scopes.subtree(scope) : undefined;
    return this.readModels.read(['dues'], q.minPosition, async (db) => ({
      minMonths: q.minMonths,
      throughMonth,
      members: await duesArrears(db, q.minMonths, throughMonth, today, inside),
    }));
  }

  @QueryRoute({
    path: 'flowing',
    summary: 'Flowing members (流动党员) hosted in a subtree, by occupation, origin region and host',
    query: flowingQuery,
  })
  flowing(@Query() query: unknown) {
    const q = parseQuery(flowingQuery, query);
    return this.readModels.read(['flowing', 'hierarchy'], q.minPosition, (db) =>
      flowingReport(db, businessToday(), q.hostOrgId),
    );
  }

  @QueryRoute({
    path: 'should-establish',
    summary: 'Units with enough full members and no organisation of their own (应建未建)',
    query: shouldEstablishQuery,
  })
  async shouldEstablish(@Query() query: unknown) {
    const q = parseQuery(shouldEstablishQuery, query);
    const asOf = q.asOf ?? businessToday();
    return this.readModels.read(['coverage'], q.minPosition, async (db) => ({
      asOf,
      regionCode: q.regionCode ?? null,
      units: await shouldEstablishReport(db, asOf, q.regionCode),
    }));
  }
}
