import { fullSinceAtRegistration, type MemberEvent, type MemberRegistration, probationEndOf } from '@registry/domain';
import type { ProjectionDefinition } from '../projection';
import { domainEventOf } from '../runtime/domain-event';
import { eventsOf, isNew, unique } from '../runtime/stream-events';
import { keyedTable } from '../runtime/tables';

interface DirectoryRow {
  member_id: string;
  position: string;
  name: string | null;
  personal_data_erased: boolean;
  gender: string | null;
  status: 'member' | 'left';
  standing: 'full' | 'probationary';
  joined_on: string | null;
  confirmed_on: string | null;
  org_id: string | null;
  transferred_out_to: string | null;
  unit_id: string | null;
  occupation: string | null;
  flowing: boolean;
  host_org_id: string | null;
  flowing_since: string | null;
  destination_region_code: string | null;
  lost_contact_since: string | null;
  pending_transfer_id: string | null;
  monthly_dues_fen: number | null;
  dues_category: string | null;
  dues_paid_up_to: string | null;
  last_dues_paid_on: string | null;
  left_reason: string | null;
  left_on: string | null;
  registered_on: string | null;
  full_since: string | null;
  probation_ends_on: string | null;
  suspended_on: string | null;
}

const MEMBERS = keyedTable<DirectoryRow>('members', 'member_id', {
  member_id: 'uuid',
  position: 'bigint',
  name: 'text',
  personal_data_erased: 'boolean',
  gender: 'text',
  status: 'text',
  standing: 'text',
  joined_on: 'date',
  confirmed_on: 'date',
  org_id: 'uuid',
  transferred_out_to: 'text',
  unit_id: 'uuid',
  occupation: 'text',
  flowing: 'boolean',
  host_org_id: 'uuid',
  flowing_since: 'date',
  destination_region_code: 'text',
  lost_contact_since: 'date',
  pending_transfer_id: 'uuid',
  monthly_dues_fen: 'integer',
  dues_category: 'text',
  dues_paid_up_to: 'text',
  last_dues_paid_on: 'date',
  left_reason: 'text',
  left_on: 'date',
  registered_on: 'date',
  full_since: 'date',
  probation_ends_on: 'date',
  suspended_on: 'date',
});
const COLUMNS = Object.keys(MEMBERS.columns);

function standingAtRegistration(
  registration: MemberRegistration,
): Pick<DirectoryRow, 'confirmed_on' | 'full_since' | 'probation_ends_on'> {
  return {
    confirmed_on: registration.confirmedOn ?? null,
    full_since: fullSinceAtRegistration(registration),
    probation_ends_on: registration.status === 'probationary' ? probationEndOf(registration.joinedOn) : null,
  };
}

/**
 * The member directory as it stands now: organisation, standing, employment, flow, contact and
 * dues. The name is the only personal field kept; it is read from the vault when the member
 * registers and cleared when the person is forgotten (after which no rebuild can read it again).
 */
export const membersProjection: ProjectionDefinition = {
  name: 'members',
  version: 2,
  description:
    'member directory: current organisation, standing and probation, employment, flow, contact, suspension and dues',

  categories: ['member'],
  rebuildWeight: 16,

  createTables: (s) => `
    CREATE TABLE ${s}.members (
      member_id uuid PRIMARY KEY, position bigint NOT NULL, name text, personal_data_erased boolean NOT NULL DEFAULT false,
      gender text, status text NOT NULL, standing text NOT NULL, joined_on date, confirmed_on date, org_id uuid,
      transferred_out_to text, unit_id uuid, occupation text, flowing boolean NOT NULL DEFAULT false, host_org_id uuid,
      flowing_since date, destination_region_code text, lost_contact_since date, pending_transfer_id uuid,
      monthly_dues_fen integer, dues_category text, dues_paid_up_to text, last_dues_paid_on date, left_reason text, left_on date,
      registered_on date, full_since date, probation_ends_on date, suspended_on date);`,

  createIndexes: (s) => `
    CREATE INDEX ON ${s}.members (org_id);
    CREATE INDEX ON ${s}.members (unit_id);
    CREATE INDEX ON ${s}.members (lost_contact_since) WHERE lost_contact_since IS NOT NULL OR suspended_on IS NOT NULL;`,

  views: (s) => [
    {
      name: 'members',
      comment: 'Member directory as it stands now (name only for reporting roles that may see it; null once forgotten)',
      select: `SELECT ${COLUMNS.filter((c) => c !== 'position').join(', ')} FROM ${s}.members`,
    },
  ],

  async apply(tables, events, services) {
    const memberEvents = eventsOf(events, 'member');
    if (memberEvents.length === 0) return;
    const ids = unique(memberEvents.map((e) => e.id));
    const members = tables.keyed(MEMBERS);
    const rows = await members.load(ids);
    const decoded = memberEvents.map(({ id, event }) => ({ id, event, e: domainEventOf<MemberEvent>(event) }));
    const names = await services.memberNames(
      decoded.flatMap(({ id, e }) =>
        e.type === 'MemberRegistered' ? [{ memberId: id, sealed: e.data.personal }] : [],
      ),
    );
    const changed = new Map<string, DirectoryRow>();
    for (const { id, event, e } of decoded) {
      let row = rows.get(id);
      if (e.type === 'MemberRegistered') {
        if (row && !isNew(row, event)) continue;
        const name = names.get(id) ?? null;
        row = {
          member_id: id,
          position: '0',
          name,
          personal_data_erased: name === null,
          gender: e.data.gender,
          status: 'member',
          standing: e.data.status,
          joined_on: e.data.joinedOn,
          org_id: e.data.orgId,
          transferred_out_to: null,
          unit_id: e.data.unitId ?? null,
          occupation: e.data.occupation ?? null,
          flowing: false,
          host_org_id: null,
          flowing_since: null,
          destination_region_code: null,
          lost_contact_since: null,
          pending_transfer_id: null,
          monthly_dues_fen: null,
          dues_category: null,
          dues_paid_up_to: null,
          last_dues_paid_on: null,
          left_reason: null,
          left_on: null,
          registered_on: e.data.effectiveOn,
          ...standingAtRegistration(e.data),
          suspended_on: null,
        };
        rows.set(id, row);
      }
      if (!row || !isNew(row, event)) continue;
      switch (e.type) {
        case 'MemberConfirmed':
          Object.assign(row, {
            standing: 'full',
            confirmed_on: e.data.effectiveOn,
            full_since: e.data.fullSince ?? row.probation_ends_on ?? e.data.effectiveOn,
            probation_ends_on: null,
          });
          break;
        case 'ProbationExtended':
          row.probation_ends_on = e.data.probationEndsOn;
          break;
        case 'ProbationAnnulled':
          Object.assign(row, {
            status: 'left',
            left_reason: 'probation-annulled',
            left_on: e.data.decidedOn,
            pending_transfer_id: null,
            probation_ends_on: null,
          });
          break;
        case 'MemberSuspended':
          row.suspended_on = e.data.decidedOn;
          break;
        case 'MemberReinstated':
          row.suspended_on = null;
          break;
        case 'MemberEmploymentChanged':
          row.unit_id = e.data.unitId;
          break;
        case 'TransferInitiated':
          row.pending_transfer_id = e.data.transferId;
          break;
        case 'TransferAccepted':
          if ('orgId' in e.data.to) Object.assign(row, { org_id: e.data.to.orgId, pending_transfer_id: null });
          else
            Object.assign(row, {
              org_id: null,
              transferred_out_to: e.data.to.external.name,
              pending_transfer_id: null,
            });
          break;
        case 'TransferRejected':
        case 'TransferCancelled':
          row.pending_transfer_id = null;
          break;
        case 'MemberFlowedOut':
          Object.assign(row, {
            flowing: true,
            host_org_id: e.data.hostOrgId,
            flowing_since: e.data.since,
            destination_region_code: e.data.destinationRegionCode,
          });
          break;
        case 'MemberFlowReturned':
          Object.assign(row, { flowing: false, host_org_id: null, flowing_since: null, destination_region_code: null });
          break;
        case 'MemberLostContact':
          row.lost_contact_since = e.data.since;
          break;
        case 'MemberContactRestored':
          row.lost_contact_since = null;
          break;
        case 'DuesAssessed':
          Object.assign(row, { monthly_dues_fen: e.data.monthlyDuesFen, dues_category: e.data.category });
          break;
        case 'DuesPaid': {
          const latest = [...e.data.months].sort().at(-1);
          if (latest !== undefined && (row.dues_paid_up_to === null || latest > row.dues_paid_up_to))
            row.dues_paid_up_to = latest;
          if (row.last_dues_paid_on === null || e.data.paidOn > row.last_dues_paid_on)
            row.last_dues_paid_on = e.data.paidOn;
          break;
        }
        case 'MemberLeft':
          Object.assign(row, {
            status: 'left',
            left_reason: e.data.reason,
            left_on: e.data.effectiveOn,
            pending_transfer_id: null,
          });
          break;
        case 'PersonalDataForgotten':
          Object.assign(row, { name: null, personal_data_erased: true });
          break;
        default:
          break;
      }
      row.position = event.position.toString();
      changed.set(id, row);
    }
    await members.upsert([...changed.values()]);
  },
};
