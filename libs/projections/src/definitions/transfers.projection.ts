import type { MemberEvent } from '@registry/domain';
import type { ProjectionDefinition } from '../projection';
import { upsertRows } from '../runtime/sql';
import { columnList, eventsOf, isNew, loadRows, unique } from './stream-events';

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

const COLUMNS: (keyof TransferRow)[] = [
  'transfer_id',
  'position',
  'member_id',
  'from_org_id',
  'to_org_id',
  'to_external_name',
  'to_external_region_code',
  'letter_no',
  'effective_on',
  'valid_until',
  'dues_paid_up_to',
  'status',
  'resolved_on',
  'reason',
  'initiated_at',
];

/** Transfers of the organisational relation (介绍信) and how each ended; overdue ones are 口袋党员 risks. */
export const transfersProjection: ProjectionDefinition = {
  name: 'transfers',
  version: 1,
  description: 'transfers of the organisational relation: pending, accepted, rejected, cancelled',

  createTables: (s) => `
    CREATE TABLE ${s}.transfers (
      transfer_id uuid PRIMARY KEY, position bigint NOT NULL, member_id uuid NOT NULL, from_org_id uuid NOT NULL, to_org_id uuid,
      to_external_name text, to_external_region_code text, letter_no text, effective_on date NOT NULL, valid_until date NOT NULL,
      dues_paid_up_to text, status text NOT NULL, resolved_on date, reason text, initiated_at timestamptz NOT NULL);
    CREATE INDEX ON ${s}.transfers (status, valid_until);
    CREATE INDEX ON ${s}.transfers (member_id);`,

  views: (s) => [
    {
      name: 'transfers',
      comment: 'Transfers of the organisational relation; pending past valid_until = overdue (口袋党员 risk)',
      select: `SELECT ${COLUMNS.filter((c) => c !== 'position').join(', ')} FROM ${s}.transfers`,
    },
  ],

  async apply(sql, s, events) {
    const transferEvents = eventsOf(events, 'member').filter(({ event }) => event.type.startsWith('Transfer'));
    if (transferEvents.length === 0) return;
    const ids = unique(transferEvents.map(({ event }) => event.data.transferId as string));
    const rows = await loadRows<TransferRow>(
      sql,
      `${s}.transfers`,
      'transfer_id',
      columnList(COLUMNS, (c) => c === 'position' || /_on$|_until$/.test(c)),
      ids,
    );
    const changed = new Set<string>();
    for (const { event } of transferEvents) {
      const e = { type: event.type, data: event.data } as unknown as MemberEvent;
      if (e.type === 'TransferInitiated') {
        if (rows.has(e.data.transferId)) continue;
        const to = e.data.to;
        rows.set(e.data.transferId, {
          transfer_id: e.data.transferId,
          position: event.position.toString(),
          member_id: e.data.memberId,
          from_org_id: e.data.fromOrgId,
          to_org_id: 'orgId' in to ? to.orgId : null,
          to_external_name: 'external' in to ? to.external.name : null,
          to_external_region_code: 'external' in to ? to.external.regionCode : null,
          letter_no: e.data.letterNo,
          effective_on: e.data.effectiveOn,
          valid_until: e.data.validUntil,
          dues_paid_up_to: e.data.duesPaidUpTo,
          status: 'pending',
          resolved_on: null,
          reason: null,
          initiated_at: event.recordedAt.toISOString(),
        });
        changed.add(e.data.transferId);
        continue;
      }
      if (e.type !== 'TransferAccepted' && e.type !== 'TransferRejected' && e.type !== 'TransferCancelled') continue;
      const row = rows.get(e.data.transferId);
      if (!row || !isNew(row, event)) continue;
      if (e.type === 'TransferAccepted') Object.assign(row, { status: 'accepted', resolved_on: e.data.effectiveOn });
      else
        Object.assign(row, {
          status: e.type === 'TransferRejected' ? 'rejected' : 'cancelled',
          reason: e.data.reason,
          resolved_on: event.recordedAt.toISOString().slice(0, 10),
        });
      row.position = event.position.toString();
      changed.add(row.transfer_id);
    }
    await upsertRows(
      sql,
      `${s}.transfers`,
      ['transfer_id'],
      COLUMNS,
      [...changed].map((id) => rows.get(id)!),
    );
  },
};
