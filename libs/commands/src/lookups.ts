import {
  type CommitteeHolderStanding,
  type MemberStanding,
  hostOrgOn,
  membershipOn,
  type OrganizationLookup,
} from '@registry/domain';
import type { EventStoreTransaction, JsonObject } from '@registry/event-store';
import { REGISTRY_UPCASTERS } from './registry-upcasters';

type Tx = Pick<EventStoreTransaction, 'query'>;
type DomainEvent = { readonly type: string; readonly data: object };

export interface OrganizationFacts {
  readonly lookup: OrganizationLookup;
  readonly regionCode: string | null;
}

/**
 * An organisation's status, read with a share lock: it cannot be dissolved (which takes the row
 * for update) until this transaction ends, so "the organisation is active" stays true until commit.
 */
export async function organizationForUse(tx: Tx, organizationId: string): Promise<OrganizationFacts> {
  const rows = await tx.query<{ status: 'active' | 'dissolved'; region_code: string }>(
    'SELECT status, region_code FROM command_side.organizations WHERE organization_id = $1 FOR SHARE',
    [organizationId],
  );
  const row = rows[0];
  return row ? { lookup: row.status, regionCode: row.region_code } : { lookup: 'missing', regionCode: null };
}

/** Members and active children of an organisation, with its row locked against concurrent joiners. */
export async function occupancyForDissolution(
  tx: Tx,
  organizationId: string,
): Promise<{ memberCount: number; childCount: number }> {
  await tx.query('SELECT 1 FROM command_side.organizations WHERE organization_id = $1 FOR UPDATE', [organizationId]);
  const rows = await tx.query<{ members: number; children: number }>(
    `SELECT (SELECT count(*)::int FROM command_side.memberships WHERE organization_id = $1 AND status = 'member') AS members,
            (SELECT count(*)::int FROM command_side.organizations WHERE parent_id = $1 AND status = 'active') AS children`,
    [organizationId],
  );
  const counts = rows[0];
  if (!counts) throw new Error('counting members and children returned no row');
  return { memberCount: counts.members, childCount: counts.children };
}

/**
 * The new parent's ancestors, nearest first. Re-parenting takes one advisory lock for the whole
 * hierarchy, so two moves cannot each pass the cycle check and together make a cycle.
 */
export async function ancestorsForReparenting(tx: Tx, parentId: string): Promise<string[]> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('command_side.hierarchy'))`);
  const rows = await tx.query<{ organization_id: string }>(
    `WITH RECURSIVE up(organization_id, parent_id, depth) AS (
       SELECT organization_id, parent_id, 0 FROM command_side.organizations WHERE organization_id = $1
       UNION ALL
       SELECT o.organization_id, o.parent_id, up.depth + 1
       FROM command_side.organizations o JOIN up ON o.organization_id = up.parent_id
       WHERE up.depth < 1000
     )
     SELECT organization_id FROM up WHERE depth > 0 ORDER BY depth`,
    [parentId],
  );
  return rows.map((row) => row.organization_id);
}

/** Takes the hierarchy lock too: a new child must not land under an organisation being moved into a cycle. */
export async function lockHierarchy(tx: Tx): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock_shared(hashtext('command_side.hierarchy'))`);
}

export async function unitExists(tx: Tx, unitId: string): Promise<'operating' | 'closed' | 'missing'> {
  const rows = await tx.query<{ status: 'operating' | 'closed' }>(
    'SELECT status FROM command_side.units WHERE unit_id = $1 FOR SHARE',
    [unitId],
  );
  return rows[0]?.status ?? 'missing';
}

/** A current member's organisation and standing; undefined for an unknown or former member. */
export async function currentMembershipOf(
  tx: Tx,
  memberId: string,
): Promise<{ organizationId: string | undefined; standing: 'full' | 'probationary' } | undefined> {
  const rows = await tx.query<{ organization_id: string | null; standing: 'full' | 'probationary' }>(
    `SELECT organization_id, standing FROM command_side.memberships WHERE member_id = $1 AND status = 'member'`,
    [memberId],
  );
  const row = rows[0];
  return row && { organizationId: row.organization_id ?? undefined, standing: row.standing };
}

/** Whether each of these members is a current full member, a probationary one, or not a current member. */
export async function standingsOf(tx: Tx, memberIds: readonly string[]): Promise<MemberStanding[]> {
  const rows = await tx.query<{ member_id: string; standing: 'full' | 'probationary' }>(
    `SELECT member_id, standing FROM command_side.memberships WHERE member_id = ANY($1::uuid[]) AND status = 'member'`,
    [memberIds],
  );
  const standing = new Map(rows.map((row) => [row.member_id, row.standing]));
  return memberIds.map((id) => standing.get(id) ?? 'none');
}

const LOOKUP_EVENTS = new Set([
  'UnitRegistered',
  'UnitClosed',
  'OrganizationEstablished',
  'JointBranchFormed',
  'OrganizationReparented',
  'OrganizationDissolved',
  'MemberRegistered',
  'MemberConfirmed',
  'TransferAccepted',
  'MemberLeft',
  'ProbationAnnulled',
]);

/** Events of these types change a lookup, so they are appended in a transaction with the change. */
export const affectsLookups = (type: string): boolean => LOOKUP_EVENTS.has(type);

/** Keeps the lookups in step with the events, in the transaction that appends them. */
export async function applyToLookups(tx: Tx, events: readonly DomainEvent[]): Promise<void> {
  for (const event of events) {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case 'UnitRegistered':
        await tx.query(
          `INSERT INTO command_side.units (unit_id, status) VALUES ($1, 'operating') ON CONFLICT DO NOTHING`,
          [data.unitId],
        );
        break;
      case 'UnitClosed':
        await tx.query(`UPDATE command_side.units SET status = 'closed' WHERE unit_id = $1`, [data.unitId]);
        break;
      case 'OrganizationEstablished':
      case 'JointBranchFormed':
        await tx.query(
          `INSERT INTO command_side.organizations (organization_id, status, parent_id, region_code)
           VALUES ($1, 'active', $2, $3) ON CONFLICT DO NOTHING`,
          [data.organizationId, data.parentId ?? null, data.regionCode],
        );
        break;
      case 'OrganizationReparented':
        await tx.query('UPDATE command_side.organizations SET parent_id = $2 WHERE organization_id = $1', [
          data.organizationId,
          data.toParentId,
        ]);
        break;
      case 'OrganizationDissolved':
        await tx.query(`UPDATE command_side.organizations SET status = 'dissolved' WHERE organization_id = $1`, [
          data.organizationId,
        ]);
        break;
      case 'MemberRegistered':
        await tx.query(
          `INSERT INTO command_side.memberships (member_id, organization_id, status, standing) VALUES ($1, $2, 'member', $3)
           ON CONFLICT DO NOTHING`,
          [data.memberId, data.orgId, data.status],
        );
        break;
      case 'MemberConfirmed':
        await tx.query(`UPDATE command_side.memberships SET standing = 'full' WHERE member_id = $1`, [data.memberId]);
        break;
      case 'TransferAccepted': {
        const to = data.to as { orgId?: string };
        await tx.query('UPDATE command_side.memberships SET organization_id = $2 WHERE member_id = $1', [
          data.memberId,
          to.orgId ?? null,
        ]);
        break;
      }
      case 'MemberLeft':
      case 'ProbationAnnulled':
        await tx.query(`UPDATE command_side.memberships SET status = 'left' WHERE member_id = $1`, [data.memberId]);
        break;
      default:
        break;
    }
  }
}

/** Reservation kind of an open inflow: one per resident-ID fingerprint while the person is hosted. */
export const INFLOW_RESERVATION = 'inflow-resident-id';

/** Whether a current member of the registry holds this resident-ID fingerprint. */
export async function residentIdHeldByCurrentMember(tx: Tx, fingerprint: string): Promise<boolean> {
  const rows = await tx.query(
    `SELECT 1 FROM command_side.reservations r
       JOIN command_side.memberships m ON r.stream_id = 'member-' || m.member_id
      WHERE r.kind = 'resident-id' AND r.value = $1 AND m.status = 'member'`,
    [fingerprint],
  );
  return rows.length > 0;
}

/** The open inflow of this fingerprint, locked until the transaction ends (a departure waits for it). */
export async function openInflowOf(tx: Tx, fingerprint: string): Promise<string | undefined> {
  const rows = await tx.query<{ stream_id: string }>(
    'SELECT stream_id FROM command_side.reservations WHERE kind = $1 AND value = $2 FOR UPDATE',
    [INFLOW_RESERVATION, fingerprint],
  );
  return rows[0]?.stream_id.slice('inflow-'.length);
}

export async function releaseInflowReservation(tx: Tx, inflowingMemberId: string): Promise<void> {
  await tx.query('DELETE FROM command_side.reservations WHERE kind = $1 AND stream_id = $2', [
    INFLOW_RESERVATION,
    `inflow-${inflowingMemberId}`,
  ]);
}

/** Reservation kind of an open application (入党申请): one per resident-ID fingerprint until approval or withdrawal. */
export const APPLICATION_RESERVATION = 'application-resident-id';

export async function releaseApplicationReservation(tx: Tx, applicantId: string): Promise<void> {
  await tx.query('DELETE FROM command_side.reservations WHERE kind = $1 AND stream_id = $2', [
    APPLICATION_RESERVATION,
    `applicant-${applicantId}`,
  ]);
}

/** The events of each stream of a category (members by default), in log order, read in the transaction and upcast (for facts as of a business date). */
export async function streamEventsOf(
  tx: Tx,
  ids: readonly string[],
  category: 'member' | 'inflow' | 'organization' = 'member',
): Promise<Map<string, { type: string; data: object; recordedAt: Date }[]>> {
  const rows = await tx.query<{
    stream_id: string;
    event_type: string;
    data: JsonObject;
    metadata: JsonObject;
    recorded_at: Date;
  }>(
    `SELECT stream_id, event_type, data, metadata, recorded_at FROM event_store.events
      WHERE stream_id = ANY($1::text[]) ORDER BY position`,
    [ids.map((id) => `${category}-${id}`)],
  );
  const events = new Map(ids.map((id) => [id, [] as { type: string; data: object; recordedAt: Date }[]]));
  for (const row of rows) {
    // Read straight from the table, so upcast here as the store does on its reads.
    const event = REGISTRY_UPCASTERS.upcast({
      type: row.event_type,
      data: row.data,
      metadata: row.metadata,
      recordedAt: row.recorded_at,
    });
    events.get(row.stream_id.slice(category.length + 1))?.push(event);
  }
  return events;
}

/** Whether each member was a full member of the organisation on the date (in business time), or why not. */
export async function committeeHoldersOn(
  tx: Tx,
  organizationId: string,
  memberIds: readonly string[],
  date: string,
): Promise<CommitteeHolderStanding[]> {
  const events = await streamEventsOf(tx, memberIds);
  return memberIds.map((id) => {
    const membership = membershipOn(events.get(id) ?? [], date);
    if (!membership) return 'not-a-member';
    if (membership.orgId !== organizationId) return 'elsewhere';
    return membership.standing === 'full' ? 'eligible' : 'probationary';
  });
}

/** The organisation's full members now (a committee's size depends on it). */
export async function fullMemberCount(tx: Tx, organizationId: string): Promise<number> {
  const rows = await tx.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM command_side.memberships
      WHERE organization_id = $1 AND status = 'member' AND standing = 'full'`,
    [organizationId],
  );
  return rows[0]?.count ?? 0;
}

/**
 * Whether each person took part in the organisation's life on the date: a member of it, a member
 * flowing out to it as host, or an inflowing member it hosts (in business time).
 */
export async function belongToOrganizationOn(
  tx: Tx,
  organizationId: string,
  ids: readonly string[],
  date: string,
): Promise<boolean[]> {
  if (ids.length === 0) return [];
  const members = await streamEventsOf(tx, ids);
  const inflows = await streamEventsOf(tx, ids, 'inflow');
  return ids.map((id) => {
    const membership = membershipOn(members.get(id) ?? [], date);
    if (membership && (membership.orgId === organizationId || membership.flowingHostOrgId === organizationId))
      return true;
    return hostOrgOn(inflows.get(id) ?? [], date) === organizationId;
  });
}

/** The organisation's latest star rating (by year) among those decided on or before the date. */
export async function latestRatingOn(
  tx: Tx,
  organizationId: string,
  date: string,
): Promise<{ year: number; stars: number } | null> {
  const events = (await streamEventsOf(tx, [organizationId], 'organization')).get(organizationId) ?? [];
  const ratings = events
    .filter((event) => event.type === 'OrganizationRated')
    .map((event) => event.data as { year: number; stars: number; ratedOn: string })
    .filter((rating) => rating.ratedOn <= date)
    .sort((a, b) => a.year - b.year);
  const latest = ratings.at(-1);
  return latest ? { year: latest.year, stars: latest.stars } : null;
}
