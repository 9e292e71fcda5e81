import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Command, CommandRunner, Option } from 'nest-commander';
import {
  CoverageQuery,
  DuesRowsQuery,
  OrganizationalLifeQuery,
  OrganizationRootsQuery,
  OrganizationTreeQuery,
  RatingsQuery,
  TermsQuery,
  TransfersQuery,
} from '@registry/commands';
import { businessDateOf } from '@registry/domain';
import { type CoverageGroupBy, toCsv, type TermStatus, type TreeNode } from '@registry/projections';

const today = (): string => businessDateOf(new Date());

function date(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`${value} is not a date YYYY-MM-DD`);
  return value;
}

function groupBy(value: string): CoverageGroupBy {
  if (!['region', 'industry', 'building', 'park', 'grid'].includes(value))
    throw new Error('--group-by is one of region, industry, building, park, grid');
  return value as CoverageGroupBy;
}

interface TreeOptions {
  asOf?: string;
  root?: string;
  depth?: number;
}

@Command({
  name: 'tree',
  description: 'the organisation tree as of a business date, with subtree counts (all roots, or one subtree)',
})
export class TreeCommand extends CommandRunner {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {
    super();
  }

  async run(_: string[], options: TreeOptions): Promise<void> {
    const asOf = options.asOf ?? today();
    const roots = options.root ? [options.root] : await this.queries.execute(new OrganizationRootsQuery(asOf));
    process.stdout.write(`as of ${asOf}\n`);
    const print = (node: TreeNode, indent: string): void => {
      const c = node.counts;
      process.stdout.write(
        `${indent}${node.name} [${node.level}/${node.form}] members ${c.members} (full ${c.full}, probationary ${c.probationary}) flowing in ${c.flowingIn} out ${c.flowingOut}\n`,
      );
      for (const child of node.children) print(child, `${indent}  `);
    };
    for (const root of roots)
      print(await this.queries.execute(new OrganizationTreeQuery(root, { asOf, depth: options.depth })), '');
  }

  @Option({ flags: '--as-of <date>', description: 'business date YYYY-MM-DD (default today)' })
  parseAsOf(value: string): string {
    return date(value);
  }

  @Option({ flags: '--root <id>', description: 'only this organisation\u2019s subtree' })
  parseRoot(value: string): string {
    return value.toLowerCase();
  }

  @Option({ flags: '--depth <n>', description: 'levels of children to print' })
  parseDepth(value: string): number {
    return Number.parseInt(value, 10);
  }
}

interface CoverageOptions {
  asOf?: string;
  groupBy?: CoverageGroupBy;
  regionCode?: string;
}

@Command({
  name: 'coverage',
  description: 'the two coverages (两个覆盖) as of a business date, per region (rolled up), industry, building or park',
})
export class CoverageCommand extends CommandRunner {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {
    super();
  }

  async run(_: string[], options: CoverageOptions): Promise<void> {
    const report = await this.queries.execute(new CoverageQuery(coverageParameters(options)));
    process.stdout.write(`as of ${report.asOf}, by ${report.groupBy}${report.level ? ` (${report.level})` : ''}\n`);
    process.stdout.write(
      'key      label                units single joint work-only uncovered org-rate work-rate should-establish members\n',
    );
    for (const r of [...report.rows, report.totals]) {
      const pct = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(1)}%`);
      process.stdout.write(
        `${r.key.padEnd(8)} ${r.label.padEnd(20)} ${String(r.units).padStart(5)} ${String(r.singleCovered).padStart(6)} ${String(r.jointCovered).padStart(5)} ${String(r.workCoveredOnly).padStart(9)} ${String(r.uncovered).padStart(9)} ${pct(r.orgCoverageRate).padStart(8)} ${pct(r.workCoverageRate).padStart(9)} ${String(r.shouldEstablish).padStart(16)} ${String(r.members).padStart(7)}\n`,
      );
    }
  }

  @Option({ flags: '--as-of <date>', description: 'business date YYYY-MM-DD (default today)' })
  parseAsOf(value: string): string {
    return date(value);
  }

  @Option({ flags: '--group-by <by>', description: 'region | industry | building | park (default region)' })
  parseGroupBy(value: string): CoverageGroupBy {
    return groupBy(value);
  }

  @Option({
    flags: '--region-code <code>',
    description: 'roll up below this region (cities of a province, counties of a city)',
  })
  parseRegion(value: string): string {
    return value;
  }
}

const coverageParameters = (options: CoverageOptions) => ({
  groupBy: options.groupBy ?? 'region',
  asOf: options.asOf ?? today(),
  regionCode: options.regionCode,
});

interface ExportOptions extends CoverageOptions {
  format?: string;
  month?: string;
}

@Command({
  name: 'export',
  arguments: '<report>',
  description: 'export coverage | dues | transfers as CSV on stdout, for reporting jobs',
})
export class ExportCommand extends CommandRunner {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {
    super();
  }

  async run([report]: string[], options: ExportOptions): Promise<void> {
    if ((options.format ?? 'csv') !== 'csv') throw new Error('--format: only csv is supported');
    if (report === 'coverage') {
      const result = await this.queries.execute(new CoverageQuery(coverageParameters(options)));
      const columns = [
        'key',
        'label',
        'units',
        'singleCovered',
        'jointCovered',
        'workCoveredOnly',
        'uncovered',
        'orgCoverageRate',
        'workCoverageRate',
        'shouldEstablish',
        'members',
      ];
      process.stdout.write(toCsv(columns, result.rows as unknown as Record<string, unknown>[]));
    } else if (report === 'dues') {
      const month = options.month ?? today().slice(0, 7);
      process.stdout.write(
        toCsv(
          ['memberId', 'orgId', 'month', 'expectedFen', 'paidFen'],
          (await this.queries.execute(new DuesRowsQuery(month))) as unknown as Record<string, unknown>[],
        ),
      );
    } else if (report === 'transfers') {
      const { transfers } = await this.queries.execute(new TransfersQuery({ status: 'pending' }, undefined));
      const rows = transfers.map((t) => ({
        ...t,
        toOrgId: 'orgId' in t.to ? t.to.orgId : '',
        toExternal: 'external' in t.to ? t.to.external.name : '',
      }));
      process.stdout.write(
        toCsv(
          [
            'transferId',
            'memberId',
            'fromOrgId',
            'toOrgId',
            'toExternal',
            'letterNo',
            'effectiveOn',
            'validUntil',
            'duesPaidUpTo',
            'overdue',
            'daysOverdue',
          ],
          rows,
        ),
      );
    } else {
      throw new Error('usage: export <coverage|dues|transfers> --format csv');
    }
  }

  @Option({ flags: '--format <format>', description: 'csv' })
  parseFormat(value: string): string {
    return value;
  }

  @Option({ flags: '--as-of <date>', description: 'coverage: business date (default today)' })
  parseAsOf(value: string): string {
    return date(value);
  }

  @Option({ flags: '--group-by <by>', description: 'coverage: region | industry | building | park' })
  parseGroupBy(value: string): CoverageGroupBy {
    return groupBy(value);
  }

  @Option({ flags: '--region-code <code>', description: 'coverage: roll up below this region' })
  parseRegion(value: string): string {
    return value;
  }

  @Option({ flags: '--month <YYYY-MM>', description: 'dues: the month (default the current one)' })
  parseMonth(value: string): string {
    return value;
  }
}

interface TermsOptions {
  org?: string;
  status?: TermStatus;
  withinMonths?: number;
  format?: string;
}

const TERM_COLUMNS = ['orgId', 'name', 'electedOn', 'termEndsOn', 'postponedUntil', 'dueOn'] as const;

@Command({
  name: 'terms',
  description:
    'terms (换届) in a subtree that end soon (due) or have ended with no new election (overdue); a table, or CSV',
})
export class TermsCommand extends CommandRunner {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {
    super();
  }

  async run(_: string[], options: TermsOptions): Promise<void> {
    if (!options.org) throw new Error('--org <id> is required: the subtree to report on');
    const report = await this.queries.execute(
      new TermsQuery({ orgId: options.org, status: options.status ?? 'due', withinMonths: options.withinMonths }),
    );
    const rows = report.organizations as unknown as Record<string, unknown>[];
    if (options.format === 'csv') {
      process.stdout.write(toCsv(TERM_COLUMNS, rows));
      return;
    }
    const what = report.status === 'due' ? `due within ${report.withinMonths} months` : 'overdue';
    process.stdout.write(`terms ${what} as of ${report.today}: ${report.organizations.length}\n`);
    process.stdout.write('due on      term ends   elected on  postponed   organisation\n');
    for (const o of report.organizations)
      process.stdout.write(
        `${o.dueOn}  ${o.termEndsOn}  ${o.electedOn}  ${(o.postponedUntil ?? '-').padEnd(10)}  ${o.name ?? o.orgId}\n`,
      );
  }

  @Option({ flags: '--org <id>', description: 'the subtree (an organisation id)' })
  parseOrg(value: string): string {
    return value.toLowerCase();
  }

  @Option({ flags: '--status <status>', description: 'due (default) | overdue' })
  parseStatus(value: string): TermStatus {
    if (value !== 'due' && value !== 'overdue') throw new Error('--status is due or overdue');
    return value;
  }

  @Option({ flags: '--within-months <n>', description: 'due: ending within this many months (default 6)' })
  parseWithin(value: string): number {
    const months = Number(value);
    if (!Number.isInteger(months) || months < 1 || months > 60) throw new Error('--within-months is 1 to 60');
    return months;
  }

  @Option({ flags: '--format <format>', description: 'table (default) | csv' })
  parseFormat(value: string): string {
    if (value !== 'table' && value !== 'csv') throw new Error('--format is table or csv');
    return value;
  }
}

interface RatingsOptions {
  org?: string;
  year?: number;
  format?: string;
}

const RATING_COLUMNS = ['orgId', 'name', 'stars', 'band', 'ratedOn'] as const;

@Command({
  name: 'ratings',
  description: 'star ratings (星级创建) of a subtree for a year: counts by stars and the bands; a table, or CSV',
})
export class RatingsCommand extends CommandRunner {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {
    super();
  }

  async run(_: string[], options: RatingsOptions): Promise<void> {
    if (!options.org) throw new Error('--org <id> is required: the subtree to report on');
    const report = await this.queries.execute(new RatingsQuery({ orgId: options.org, year: options.year }));
    const rows = [
      ...report.exemplary.map((o) => ({ ...o, band: 'exemplary' })),
      ...report.standard.map((o) => ({ ...o, band: 'standard' })),
      ...report.rectify.map((o) => ({ ...o, band: 'rectify' })),
    ];
    if (options.format === 'csv') {
      process.stdout.write(toCsv(RATING_COLUMNS, rows));
      return;
    }
    const counts = report.byStars.map((s) => `${s.stars}★ ${s.organizations}`).join('  ');
    process.stdout.write(`ratings for ${report.year}: ${counts}\n`);
    process.stdout.write('stars  band       rated on    organisation\n');
    for (const o of rows)
      process.stdout.write(`${String(o.stars).padStart(5)}  ${o.band.padEnd(9)}  ${o.ratedOn}  ${o.name ?? o.orgId}\n`);
  }

  @Option({ flags: '--org <id>', description: 'the subtree (an organisation id)' })
  parseOrg(value: string): string {
    return value.toLowerCase();
  }

  @Option({ flags: '--year <year>', description: 'the year rated (default last year)' })
  parseYear(value: string): number {
    const year = Number(value);
    if (!Number.isInteger(year) || year < 1921 || year > 2100) throw new Error('--year is a year, e.g. 2025');
    return year;
  }

  @Option({ flags: '--format <format>', description: 'table (default) | csv' })
  parseFormat(value: string): string {
    if (value !== 'table' && value !== 'csv') throw new Error('--format is table or csv');
    return value;
  }
}

interface LifeOptions {
  org?: string;
  from?: string;
  to?: string;
  absent?: boolean;
  format?: string;
}

const LIFE_COLUMNS = ['orgId', 'name', 'kind', 'required', 'held', 'met', 'missed'] as const;
const ABSENT_COLUMNS = ['orgId', 'name', 'memberId', 'lastAttendedOn'] as const;

function month(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new Error(`${value} is not a month YYYY-MM`);
  return value;
}

@Command({
  name: 'organizational-life',
  description:
    'organisational life (三会一课) of a subtree: meetings due and held per branch and kind, or (--absent) members absent six months; a table, or CSV',
})
export class OrganizationalLifeCommand extends CommandRunner {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {
    super();
  }

  async run(_: string[], options: LifeOptions): Promise<void> {
    if (!options.org) throw new Error('--org <id> is required: the subtree to report on');
    const to = options.to ?? today().slice(0, 7);
    const from = options.from ?? `${to.slice(0, 4)}-01`;
    if (to < from) throw new Error('--to must not be before --from');
    const report = await this.queries.execute(new OrganizationalLifeQuery({ orgId: options.org, from, to }));
    if (options.absent) {
      const rows = report.organizations.flatMap((o) =>
        o.absentMembers.map((m) => ({ orgId: o.orgId, name: o.name, ...m })),
      );
      if (options.format === 'csv') return void process.stdout.write(toCsv(ABSENT_COLUMNS, rows));
      process.stdout.write(`members who attended nothing since ${report.absentSince}: ${rows.length}\n`);
      process.stdout.write('last attended  member                                organisation\n');
      for (const row of rows)
        process.stdout.write(`${(row.lastAttendedOn ?? '-').padEnd(13)}  ${row.memberId}  ${row.name}\n`);
      return;
    }
    const rows = report.organizations.flatMap((o) =>
      o.kinds
        .filter((k) => k.required > 0 || k.held > 0)
        .map((k) => ({ orgId: o.orgId, name: o.name, ...k, missed: k.missed.length })),
    );
    if (options.format === 'csv') return void process.stdout.write(toCsv(LIFE_COLUMNS, rows));
    const short = new Set(rows.filter((row) => !row.met).map((row) => row.orgId));
    process.stdout.write(`organisational life ${report.from} to ${report.to}: ${short.size} organisations short\n`);
    process.stdout.write('kind               required  held  met  organisation\n');
    for (const row of rows)
      process.stdout.write(
        `${row.kind.padEnd(17)}  ${String(row.required).padStart(8)}  ${String(row.held).padStart(4)}  ${row.met ? 'yes' : 'NO '}  ${row.name}\n`,
      );
  }

  @Option({ flags: '--org <id>', description: 'the subtree (an organisation id)' })
  parseOrg(value: string): string {
    return value.toLowerCase();
  }

  @Option({ flags: '--from <YYYY-MM>', description: 'first month (default January of --to’s year)' })
  parseFrom(value: string): string {
    return month(value);
  }

  @Option({ flags: '--to <YYYY-MM>', description: 'last month (default the current one)' })
  parseTo(value: string): string {
    return month(value);
  }

  @Option({ flags: '--absent', description: 'list the members absent six months instead' })
  parseAbsent(): boolean {
    return true;
  }

  @Option({ flags: '--format <format>', description: 'table (default) | csv' })
  parseFormat(value: string): string {
    if (value !== 'table' && value !== 'csv') throw new Error('--format is table or csv');
    return value;
  }
}
