import {
  addMonths,
  DEFAULT_MEETING_FREQUENCIES,
  lastDayOfMonth,
  MEETING_KINDS,
  type MeetingFrequencies,
  type MeetingKind,
  type MeetingSlot,
  meetingSlots,
} from '@registry/domain';
import { type Db, requireOrganization } from '../queries/reporting';

export interface OrganizationalLifeReport {
  readonly orgId: string;
  readonly from: string;
  readonly to: string;
  /** Months between meetings of each kind (settings); 0: not required. */
  readonly frequencies: MeetingFrequencies;
  /** The first day of the six months whose attendance decides who is absent. */
  readonly absentSince: string;
  readonly organizations: OrganizationLife[];
}

export interface OrganizationLife {
  readonly orgId: string;
  readonly name: string;
  readonly level: string;
  readonly kinds: KindOfLife[];
  /** The organisation's members now, members since before `absentSince`, who attended no meeting since. */
  readonly absentMembers: { memberId: string; lastAttendedOn: string | null }[];
}

export interface KindOfLife {
  readonly kind: MeetingKind;
  /** Windows of the period, ended by today, in which one meeting of this kind was due. */
  readonly required: number;
  readonly held: number;
  /** Every due window had at least one. */
  readonly met: boolean;
  readonly missed: MeetingSlot[];
}

/**
 * 三会一课 in a subtree over whole months: per organisation and kind, meetings due and held. The
 * frequencies are the branch's (支部工作条例), so only branches have meetings due; a committee of
 * fewer than three (a secretary and a deputy) holds no committee meetings; an organisation owes
 * nothing for a window that began before it was established.
 */
export async function organizationalLifeReport(
  db: Db,
  today: string,
  orgId: string,
  fromMonth: string,
  toMonth: string,
  frequencies: MeetingFrequencies = DEFAULT_MEETING_FREQUENCIES,
): Promise<OrganizationalLifeReport> {
  const periodStart = `${fromMonth}-01`;
  const periodEnd = lastDayOfMonth(toMonth);
  const asOf = periodEnd < today ? periodEnd : today;
  const absentSince = addMonths(`${toMonth}-01`, -5);
  await requireOrganization(db, orgId, asOf);
  const organizations = await db.query<{ org_id: string; name: string; level: string; since: string }>(
    `SELECT v.org_id, v.name, v.level,
            (SELECT min(valid_from)::text FROM reporting.organization_versions f WHERE f.org_id = v.org_id) AS since
       FROM reporting.organization_paths p
       JOIN reporting.organization_paths r ON r.org_id = $1 AND r.valid @> $2::date
       JOIN reporting.organization_versions v ON v.org_id = p.org_id AND v.valid @> $2::date
      WHERE p.path @> ARRAY[r.node] AND p.valid @> $2::date
      ORDER BY p.path, v.name`,
    [orgId, asOf],
  );
  const ids = organizations.rows.map((row) => row.org_id);
  const meetings = await db.query<{ org_id: string; kind: MeetingKind; held_on: string }>(
    `SELECT org_id, kind, held_on::text FROM reporting.meetings
      WHERE org_id = ANY($1::uuid[]) AND held_on BETWEEN $2::date AND $3::date`,
    [ids, periodStart, periodEnd],
  );
  const elections = await db.query<{ org_id: string; elected_on: string; seats: number }>(
    `SELECT org_id, elected_on::text, seats FROM reporting.committee_elections
      WHERE org_id = ANY($1::uuid[]) AND elected_on <= $2::date ORDER BY elected_on`,
    [ids, periodEnd],
  );
  const absent = await db.query<{ org_id: string; member_id: string; last_attended_on: string | null }>(
    `SELECT m.org_id, m.member_id,
            (SELECT max(a.held_on)::text FROM reporting.meeting_attendance a
              WHERE a.member_id = m.member_id AND a.held_on <= $3::date) AS last_attended_on
       FROM reporting.members m
      WHERE m.status = 'member' AND m.org_id = ANY($1::uuid[]) AND m.joined_on < $2::date
        AND NOT EXISTS (SELECT 1 FROM reporting.meeting_attendance a
                         WHERE a.member_id = m.member_id AND a.held_on BETWEEN $2::date AND $3::date)
      ORDER BY m.member_id`,
    [ids, absentSince, periodEnd],
  );

  const committeeMeetsOn = (org: string, day: string): boolean => {
    const latest = elections.rows.filter((row) => row.org_id === org && row.elected_on <= day).at(-1);
    return latest !== undefined && latest.seats >= 3;
  };
  return {
    orgId,
    from: fromMonth,
    to: toMonth,
    frequencies,
    absentSince,
    organizations: organizations.rows.map((org) => ({
      orgId: org.org_id,
      name: org.name,
      level: org.level,
      kinds: MEETING_KINDS.map((kind) => {
        const held = meetings.rows.filter((row) => row.org_id === org.org_id && row.kind === kind);
        const due =
          org.level !== 'branch'
            ? []
            : meetingSlots(fromMonth, toMonth, frequencies[kind]).filter(
                (slot) =>
                  slot.to <= today &&
                  org.since <= slot.from &&
                  (kind !== 'committee-meeting' || committeeMeetsOn(org.org_id, slot.from)),
              );
        const missed = due.filter((slot) => !held.some((row) => row.held_on >= slot.from && row.held_on <= slot.to));
        return { kind, required: due.length, held: held.length, met: missed.length === 0, missed };
      }),
      absentMembers: absent.rows
        .filter((row) => row.org_id === org.org_id)
        .map((row) => ({ memberId: row.member_id, lastAttendedOn: row.last_attended_on })),
    })),
  };
}
