import type { InflowEvent, MemberEvent, OrganizationEvent } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import type { ProjectionDefinition } from '../projection';
import { domainEventOf } from '../runtime/domain-event';
import { eventsOf, isNew, unique } from '../runtime/stream-events';
import { keyedTable, type ProjectionTables } from '../runtime/tables';

interface FlowingRow {
  member_id: string;
  position: string;
  home_org_id: string | null;
  occupation: string | null;
  flowing: boolean;
  host_org_id: string | null;
  since: string | null;
  destination_region_code: string | null;
  certificate_no: string | null;
  active: boolean;
}

const MEMBERS = keyedTable<FlowingRow>('members', 'member_id', {
  member_id: 'uuid',
  position: 'bigint',
  home_org_id: 'uuid',
  occupation: 'text',
  flowing: 'boolean',
  host_org_id: 'uuid',
  since: 'date',
  destination_region_code: 'text',
  certificate_no: 'text',
  active: 'boolean',
});
interface InflowRow {
  inflow_id: string;
  position: string;
  host_org_id: string;
  occupation: string | null;
  origin_region_code: string;
  since: string;
  certificate_no: string | null;
  ended: 'departed' | 'converted' | null;
  ended_on: string | null;
}

const INFLOWS = keyedTable<InflowRow>('inflows', 'inflow_id', {
  inflow_id: 'uuid',
  position: 'bigint',
  host_org_id: 'uuid',
  occupation: 'text',
  origin_region_code: 'text',
  since: 'date',
  certificate_no: 'text',
  ended: 'text',
  ended_on: 'date',
});
const ORGANIZATIONS = keyedTable<{ org_id: string; region_code: string }>('organizations', 'org_id', {
  org_id: 'uuid',
  region_code: 'text',
});

/**
 * Flowing members (流动党员) now: home organisation (which keeps the relation) and its region as the
 * origin, host organisation (流入地), occupation and destination.
 */
export const flowingProjection: ProjectionDefinition = {
  name: 'flowing',
  version: 2,
  description: 'flowing members by host organisation, occupation and origin region; inflowing members from outside',

  categories: ['organization', 'member', 'inflow'],
  rebuildWeight: 13,

  createTables: (s) => `
    CREATE TABLE ${s}.members (
      member_id uuid PRIMARY KEY, position bigint NOT NULL, home_org_id uuid, occupation text, flowing boolean NOT NULL,
      host_org_id uuid, since date, destination_region_code text, certificate_no text, active boolean NOT NULL);
    CREATE TABLE ${s}.organizations (org_id uuid PRIMARY KEY, region_code text NOT NULL);
    CREATE TABLE ${s}.inflows (
      inflow_id uuid PRIMARY KEY, position bigint NOT NULL, host_org_id uuid NOT NULL, occupation text,
      origin_region_code text NOT NULL, since date NOT NULL, certificate_no text, ended text, ended_on date);`,

  createIndexes: (s) => `CREATE INDEX ON ${s}.members (host_org_id) WHERE flowing AND active;`,

  views: (s) => [
    {
      name: 'flowing_members',
      comment:
        'Members flowing now (流动党员): home organisation and its region (origin), host organisation, occupation, destination',
      select: `SELECT m.member_id, m.home_org_id, o.region_code AS origin_region_code, m.host_org_id, coalesce(m.occupation, 'other') AS occupation,
                      m.since, m.destination_region_code, m.certificate_no
                 FROM ${s}.members m LEFT JOIN ${s}.organizations o ON o.org_id = m.home_org_id
                WHERE m.flowing AND m.active
               UNION ALL
               SELECT i.inflow_id, NULL, i.origin_region_code, i.host_org_id, coalesce(i.occupation, 'other'),
                      i.since, NULL, i.certificate_no
                 FROM ${s}.inflows i WHERE i.ended IS NULL`,
    },
    {
      name: 'inflowing_members',
      comment:
        'Flowing members whose home organisation is outside the registry (流入党员), hosted or ended: departed, or converted by a transfer in',
      select: `SELECT inflow_id, host_org_id, coalesce(occupation, 'other') AS occupation, origin_region_code, since, certificate_no, ended, ended_on
                 FROM ${s}.inflows`,
    },
  ],

  async apply(tables, events) {
    const organizations = eventsOf(events, 'organization')
      .map(({ id, event }) => ({ id, e: domainEventOf<OrganizationEvent>(event) }))
      .flatMap(({ id, e }) =>
        e.type === 'OrganizationEstablished' || e.type === 'JointBranchFormed'
          ? [{ org_id: id, region_code: e.data.regionCode }]
          : [],
      );
    await tables.keyed(ORGANIZATIONS).upsert(organizations);

    await applyInflowEvents(tables, eventsOf(events, 'inflow'));

    const memberEvents = eventsOf(events, 'member');
    if (memberEvents.length === 0) return;
    const ids = unique(memberEvents.map((e) => e.id));
    const members = tables.keyed(MEMBERS);
    const rows = await members.load(ids);
    const changed = new Map<string, FlowingRow>();
    for (const { id, event } of memberEvents) {
      const e = domainEventOf<MemberEvent>(event);
      let row = rows.get(id);
      if (!row) {
        row = {
          member_id: id,
          position: '0',
          home_org_id: null,
          occupation: null,
          flowing: false,
          host_org_id: null,
          since: null,
          destination_region_code: null,
          certificate_no: null,
          active: false,
        };
        rows.set(id, row);
      }
      if (!isNew(row, event)) continue;
      switch (e.type) {
        case 'MemberRegistered':
          Object.assign(row, { home_org_id: e.data.orgId, occupation: e.data.occupation ?? null, active: true });
          break;
        case 'TransferAccepted':
          row.home_org_id = 'orgId' in e.data.to ? e.data.to.orgId : null;
          if (row.home_org_id === null) row.active = false;
          break;
        case 'MemberFlowedOut':
          Object.assign(row, {
            flowing: true,
            host_org_id: e.data.hostOrgId,
            since: e.data.since,
            destination_region_code: e.data.destinationRegionCode,
            certificate_no: e.data.certificateNo,
          });
          break;
        case 'MemberFlowReturned':
          Object.assign(row, {
            flowing: false,
            host_org_id: null,
            since: null,
            destination_region_code: null,
            certificate_no: null,
          });
          break;
        case 'MemberLeft':
          row.active = false;
          break;
        default:
          continue;
      }
      row.position = event.position.toString();
      changed.set(id, row);
    }
    await members.upsert([...changed.values()]);
  },
};

async function applyInflowEvents(tables: ProjectionTables, events: { id: string; event: RecordedEvent }[]) {
  if (events.length === 0) return;
  const inflows = tables.keyed(INFLOWS);
  const rows = await inflows.load(unique(events.map((e) => e.id)));
  const changed = new Map<string, InflowRow>();
  for (const { id, event } of events) {
    const e = domainEventOf<InflowEvent>(event);
    let row = rows.get(id);
    if (e.type === 'InflowingMemberRegistered') {
      if (row && !isNew(row, event)) continue;
      row = {
        inflow_id: id,
        position: '0',
        host_org_id: e.data.hostOrgId,
        occupation: e.data.occupation ?? null,
        origin_region_code: e.data.home.regionCode,
        since: e.data.since,
        certificate_no: e.data.certificateNo ?? null,
        ended: null,
        ended_on: null,
      };
      rows.set(id, row);
    } else if (e.type === 'InflowingMemberDeparted' || e.type === 'InflowingMemberConverted') {
      if (!row || !isNew(row, event)) continue;
      const ended = e.type === 'InflowingMemberDeparted' ? 'departed' : 'converted';
      Object.assign(row, { ended, ended_on: e.data.effectiveOn });
    } else continue;
    row.position = event.position.toString();
    changed.set(id, row);
  }
  await inflows.upsert([...changed.values()]);
}
