import { effectiveOnOf, type MemberEvent } from '@registry/domain';
import type { ProjectionDefinition } from '../projection';
import { domainEventOf } from '../runtime/domain-event';
import { eventsOf, isNew, unique } from '../runtime/stream-events';
import { keyedTable } from '../runtime/tables';

interface TransferRow {
  transfer_id: string;
  position: string;
  member_id: string;
  from_org_id: string;
  to_org_id: string | null;
  to_external_name: string | null;
  to_external_region_code: string | null;
  letter_no: string | null;
  effective_on: string;
  valid_until: string;
  dues_paid_up_to: string | null;
  status: 'pending' | 'accepted' | 'rejected' | 'cancelled';
  resolved_on: string | null;
  reason: string | null;
  initiated_at: string;
}

const TRANSFERS = keyedTable<TransferRow>('transfers', 'transfer_id', {
  transfer_id: 'uuid',
  position: 'bigint',
  member_id: 'uuid',
  from_org_id: 'uuid',
  to_org_id: 'uuid',
  to_external_name: 'text',
  to_external_region_code: 'text',
  letter_no: 'text',
  effective_on: 'date',
  valid_until: 'date',
  dues_paid_up_to: 'text',
  status: 'text',
  resolved_on: 'date',
  reason: 'text',
  initiated_at: 'timestamptz',
});
const COLUMNS = Object.keys(TRANSFERS.columns);

/** Transfers of the organisational relation (介绍信) and how each ended; overdue ones are 口袋党员 risks. */
export const transfersProjection: ProjectionDefinition = {
  name: 'transfers',
  // 2: a rejection or cancellation is dated by the Beijing business day, no longer the UTC day.
  version: 2,
  description: 'transfers of the organisational relation: pending, accepted, rejected, cancelled',

  categories: ['member'],
  rebuildWeight: 8,

  createTables: (s) => `
    CREATE TABLE ${s}.transfers (
      transfer_id uuid PRIMARY KEY, position bigint NOT NULL, member_id uuid NOT NULL, from_org_id uuid NOT NULL, to_org_id uuid,
      to_external_name text, to_external_region_code text, letter_no text, effective_on date NOT NULL, valid_until date NOT NULL,
      dues_paid_up_to text, status text NOT NULL, resolved_on date, reason text, initiated_at timestamptz NOT NULL);`,

  createIndexes: (s) => `
    CREATE INDEX ON ${s}.transfers (status, valid_until);
    CREATE INDEX ON ${s}.transfers (member_id);`,

  views: (s) => [
    {
      name: 'transfers',
      comment: 'Transfers of the organisational relation; pending past valid_until = overdue (口袋党员 risk)',
      select: `SELECT ${COLUMNS.filter((c) => c !== 'position').join(', ')} FROM ${s}.transfers`,
    },
  ],

  async apply(tables, events) {
    const transferEvents = eventsOf(events, 'member').filter(({ event }) => event.type.startsWith('Transfer'));
    if (transferEvents.length === 0) return;
    const ids = unique(transferEvents.map(({ event }) => event.data.transferId as string));
    const transfers = tables.keyed(TRANSFERS);
    const rows = await transfers.load(ids);
    const changed = new Map<string, TransferRow>();
    for (const { event } of transferEvents) {
      const e = domainEventOf<MemberEvent>(event);
      if (e.type === 'TransferInitiated') {
        if (rows.has(e.data.transferId)) continue;
        const to = e.data.to;
        const row: TransferRow = {
          transfer_id: e.data.transferId,
          position: event.position.toString(),
          member_id: e.data.memberId,
          from_org_id: e.data.fromOrgId,
          to_org_id: 'orgId' in to ? to.orgId : null,
          to_external_name: 'external' in to ? to.external.name : null,
          to_external_region_code: 'external' in to ? to.external.regionCode : null,
          letter_no: e.data.letterNo,
          effective_on: effectiveOnOf(event),
          valid_until: e.data.validUntil,
          dues_paid_up_to: e.data.duesPaidUpTo,
          status: 'pending',
          resolved_on: null,
          reason: null,
          initiated_at: event.recordedAt.toISOString(),
        };
        rows.set(row.transfer_id, row);
        changed.set(row.transfer_id, row);
        continue;
      }
      if (e.type !== 'TransferAccepted' && e.type !== 'TransferRejected' && e.type !== 'TransferCancelled') continue;
      const row = rows.get(e.data.transferId);
      if (!row || !isNew(row, event)) continue;
      // An acceptance states its date; a rejection or cancellation took effect on the Beijing day it was recorded.
      row.resolved_on = effectiveOnOf(event);
      if (e.type === 'TransferAccepted') row.status = 'accepted';
      else {
        row.status = e.type === 'TransferRejected' ? 'rejected' : 'cancelled';
        row.reason = e.data.reason;
      }
      row.position = event.position.toString();
      changed.set(row.transfer_id, row);
    }
    await transfers.upsert([...changed.values()]);
  },
};
