import { type Db, requireOrganization, SUBTREE_NOW } from '../queries/reporting';

export interface RatingsReport {
  readonly orgId: string;
  readonly year: number;
  /** Organisations of the subtree rated that year, by stars (1–5). */
  readonly byStars: { stars: number; organizations: number }[];
  /** ≤ 2 stars: to be rectified (集中整顿). */
  readonly rectify: RatedOrganization[];
  /** 3 stars: standardised. */
  readonly standard: RatedOrganization[];
  /** ≥ 4 stars: exemplary; may lead a grid. */
  readonly exemplary: RatedOrganization[];
}

export interface RatedOrganization {
  readonly orgId: string;
  readonly name: string | null;
  readonly stars: number;
  readonly ratedOn: string;
}

/** Star ratings (星级创建) of the organisations of a subtree in a year. */
export async function ratingsReport(db: Db, today: string, orgId: string, year: number): Promise<RatingsReport> {
  await requireOrganization(db, orgId, today);
  const { rows } = await db.query<{ org_id: string; name: string | null; stars: number; rated_on: string }>(
    `SELECT r.org_id, v.name, r.stars, r.rated_on::text
       FROM reporting.organization_ratings r
       LEFT JOIN reporting.organization_versions v ON v.org_id = r.org_id AND v.valid @> $2::date
      WHERE r.year = $3 AND r.org_id IN (${SUBTREE_NOW.replace(/\$1/g, '$1::uuid')})
      ORDER BY r.stars DESC, v.name, r.org_id`,
    [orgId, today, year],
  );
  const rated = rows.map((row) => ({ orgId: row.org_id, name: row.name, stars: row.stars, ratedOn: row.rated_on }));
  return {
    orgId,
    year,
    byStars: [1, 2, 3, 4, 5].map((stars) => ({
      stars,
      organizations: rated.filter((r) => r.stars === stars).length,
    })),
    rectify: rated.filter((r) => r.stars <= 2),
    standard: rated.filter((r) => r.stars === 3),
    exemplary: rated.filter((r) => r.stars >= 4),
  };
}

export interface AppraisalsReport {
  readonly orgId: string;
  readonly year: number;
  /** Members of the subtree (by their organisation now) appraised for the year, by grade. */
  readonly byGrade: { grade: string; members: number }[];
  /** Current members of the subtree with no appraisal for the year. */
  readonly notAppraised: number;
}

const GRADES = ['excellent', 'qualified', 'basically-qualified', 'unqualified'];

/** Democratic appraisal (民主评议) of a subtree's current members for a year: counts by grade. */
export async function appraisalsReport(db: Db, today: string, orgId: string, year: number): Promise<AppraisalsReport> {
  await requireOrganization(db, orgId, today);
  const { rows } = await db.query<{ grade: string | null; members: number }>(
    `SELECT a.grade, count(*)::int AS members
       FROM reporting.members m
       LEFT JOIN reporting.member_appraisals a ON a.member_id = m.member_id AND a.year = $3
      WHERE m.status = 'member' AND m.org_id IN (${SUBTREE_NOW.replace(/\$1/g, '$1::uuid')})
      GROUP BY a.grade`,
    [orgId, today, year],
  );
  const count = (grade: string | null) => rows.find((row) => row.grade === grade)?.members ?? 0;
  return {
    orgId,
    year,
    byGrade: GRADES.map((grade) => ({ grade, members: count(grade) })),
    notAppraised: count(null),
  };
}

/** Longwen's points appraisal (积分定等), all settings: a yearly base, and the bands' thresholds. */
export interface PointsSettings {
  readonly base: number;
  /** At or above: recommended for honours. */
  readonly honourAt: number;
  /** Below: helped and corrected. */
  readonly supportBelow: number;
}

export const DEFAULT_POINTS_SETTINGS: PointsSettings = { base: 1000, honourAt: 900, supportBelow: 500 };

export type PointsBand = 'honour' | 'normal' | 'support';

export interface PointsReport {
  readonly orgId: string;
  readonly year: number;
  readonly settings: PointsSettings;
  /** The subtree's current members: score = base + the year's entries, and its band. */
  readonly members: { memberId: string; orgId: string | null; score: number; band: PointsBand }[];
}

/** Points (积分定等) of a subtree's current members for a year, lowest score first. */
export async function pointsReport(
  db: Db,
  today: string,
  orgId: string,
  year: number,
  settings: PointsSettings = DEFAULT_POINTS_SETTINGS,
): Promise<PointsReport> {
  await requireOrganization(db, orgId, today);
  const { rows } = await db.query<{ member_id: string; org_id: string | null; delta_sum: number }>(
    `SELECT m.member_id, m.org_id, coalesce(p.delta_sum, 0)::int AS delta_sum
       FROM reporting.members m
       LEFT JOIN reporting.member_points p ON p.member_id = m.member_id AND p.year = $3
      WHERE m.status = 'member' AND m.org_id IN (${SUBTREE_NOW.replace(/\$1/g, '$1::uuid')})
      ORDER BY coalesce(p.delta_sum, 0), m.member_id`,
    [orgId, today, year],
  );
  const bandOf = (score: number): PointsBand =>
    score >= settings.honourAt ? 'honour' : score < settings.supportBelow ? 'support' : 'normal';
  return {
    orgId,
    year,
    settings,
    members: rows.map((row) => {
      const score = settings.base + row.delta_sum;
      return { memberId: row.member_id, orgId: row.org_id, score, band: bandOf(score) };
    }),
  };
}
