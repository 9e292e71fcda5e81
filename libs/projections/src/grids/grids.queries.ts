import { coverageRates, type CoverageRow } from '../coverage/coverage.queries';
import type { CoverageState } from '../coverage/unit-coverage';
import { type Db, NotInReadModel } from '../queries/reporting';

export interface GridReport {
  readonly gridId: string;
  readonly asOf: string;
  readonly name: string;
  readonly regionCode: string;
  readonly establishedOn: string;
  readonly lead: {
    readonly orgId: string;
    readonly name: string | null;
    /** Its latest rating decided by `asOf` (星级). */
    readonly latestRating: { readonly year: number; readonly stars: number } | null;
  };
  /** The units in the grid on `asOf`; coverage null for a unit not operating that day. */
  readonly units: GridUnit[];
  readonly counts: GridCounts;
}

export interface GridUnit {
  readonly unitId: string;
  readonly name: string;
  readonly industry: string;
  readonly coverage: CoverageState | null;
  readonly members: number;
  readonly fullMembers: number;
}

/** The two coverages over the grid's operating units, as a coverage row has them, and the full members. */
export type GridCounts = Omit<CoverageRow, 'key' | 'label' | 'shouldEstablish'> & { readonly fullMembers: number };

/** A grid as of a date: its lead, its units with their coverage, and the members employed in them. */
export async function gridReport(db: Db, gridId: string, asOf: string): Promise<GridReport> {
  const grids = await db.query<{
    name: string;
    region_code: string;
    lead_org_id: string;
    established_on: string;
    lead_name: string | null;
  }>(
    `SELECT g.name, g.region_code, g.lead_org_id, g.established_on::text,
            (SELECT v.name FROM reporting.organization_versions v
              WHERE v.org_id = g.lead_org_id AND v.valid @> $2::date) AS lead_name
       FROM reporting.grids g WHERE g.grid_id = $1`,
    [gridId, asOf],
  );
  const grid = grids.rows[0];
  if (!grid) throw new NotInReadModel(`grid ${gridId} does not exist`);
  if (asOf < grid.established_on)
    throw new NotInReadModel(`grid ${gridId} was established on ${grid.established_on}, after ${asOf}`);
  const ratings = await db.query<{ year: number; stars: number }>(
    `SELECT year, stars FROM reporting.organization_ratings
      WHERE org_id = $1 AND rated_on <= $2::date ORDER BY year DESC LIMIT 1`,
    [grid.lead_org_id, asOf],
  );
  const units = await db.query<{
    unit_id: string;
    name: string;
    industry: string;
    state: string | null;
    members: number | null;
    full_members: number | null;
  }>(
    `SELECT gu.unit_id, u.name, u.industry, c.state, c.members, c.full_members
       FROM reporting.grid_units gu
       JOIN reporting.units u ON u.unit_id = gu.unit_id
       LEFT JOIN reporting.unit_coverage c ON c.unit_id = gu.unit_id AND c.valid @> $2::date
      WHERE gu.grid_id = $1 AND gu.valid @> $2::date
      ORDER BY u.name, gu.unit_id`,
    [gridId, asOf],
  );
  const listed: GridUnit[] = units.rows.map((row) => ({
    unitId: row.unit_id,
    name: row.name,
    industry: row.industry,
    coverage: row.state as CoverageState | null,
    members: row.members ?? 0,
    fullMembers: row.full_members ?? 0,
  }));
  return {
    gridId,
    asOf,
    name: grid.name,
    regionCode: grid.region_code,
    establishedOn: grid.established_on,
    lead: { orgId: grid.lead_org_id, name: grid.lead_name, latestRating: ratings.rows[0] ?? null },
    units: listed,
    counts: countsOf(listed.filter((unit) => unit.coverage !== null)),
  };
}

function countsOf(operating: readonly GridUnit[]): GridCounts {
  const count = (state: string) => operating.filter((unit) => unit.coverage === state).length;
  const [single, joint, work] = [count('single'), count('joint'), count('work-only')];
  return {
    units: operating.length,
    singleCovered: single,
    jointCovered: joint,
    workCoveredOnly: work,
    uncovered: count('uncovered'),
    ...coverageRates({ units: operating.length, single, joint, work }),
    members: operating.reduce((sum, unit) => sum + unit.members, 0),
    fullMembers: operating.reduce((sum, unit) => sum + unit.fullMembers, 0),
  };
}
