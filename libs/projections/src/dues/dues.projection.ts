import type { MemberEvent } from '@registry/domain';
import { type MemberFact, memberFactOf, placements } from '../model/member-facts';
import type { ProjectionDefinition } from '../projection';
import { domainEventOf } from '../runtime/domain-event';
import { dateRange } from '../runtime/sql';
import { eventsOf, isNew, unique } from '../runtime/stream-events';
import { appendedTable, keyedTable, ownedTable } from '../runtime/tables';

interface DuesMemberRow {
  member_id: string;
  position: string;
  facts: MemberFact[];
}

interface MemberOrgRow {
  member_id: string;
  valid: string;
  org_id: string;
}

interface AssessmentRow {
  member_id: string;
  from_month: string;
  position: string;
  category: string;
  monthly_income_fen: number | null;
  monthly_fen: number;
}

interface PaymentRow {
  member_id: string;
  month: string;
  amount_fen: number;
  paid_on: string;
  channel: string;
  position: string;
}

const MEMBERS = keyedTable<DuesMemberRow>('members', 'member_id', {
  member_id: 'uuid',
  position: 'bigint',
  facts: 'jsonb',
});
const MEMBER_ORGS = ownedTable<MemberOrgRow>('member_orgs', 'member_id', {
  member_id: 'uuid',
  valid: 'daterange',
  org_id: 'uuid',
});
const ASSESSMENTS = appendedTable<AssessmentRow>('assessments', ['member_id', 'position'], {
  member_id: 'uuid',
  from_month: 'date',
  position: 'bigint',
  category: 'text',
  monthly_income_fen: 'integer',
  monthly_fen: 'integer',
});
const PAYMENTS = appendedTable<PaymentRow>('payments', ['member_id', 'month', 'position'], {
  member_id: 'uuid',
  month: 'date',
  amount_fen: 'integer',
  paid_on: 'date',
  channel: 'text',
  position: 'bigint',
});

const monthStart = (month: string): string => `${month}-01`;

/**
 * Dues (党费) by month: the amount assessed for each month (the latest assessment starting at or
 * before it), what was paid for it, and where the member's relation was, so that collection can be
 * reported for any organisation subtree and arrears counted per member.
 */
export const duesProjection: ProjectionDefinition = {
  name: 'dues',
  version: 1,
  description: 'dues assessed and paid per member and month, with the organisation holding the relation',

  categories: ['member'],
  rebuildWeight: 26,

  createTables: (s) => `
    CREATE TABLE ${s}.members (member_id uuid PRIMARY KEY, position bigint NOT NULL, facts jsonb NOT NULL);
    CREATE TABLE ${s}.member_orgs (member_id uuid NOT NULL, valid daterange NOT NULL, org_id uuid NOT NULL);
    CREATE TABLE ${s}.assessments (member_id uuid NOT NULL, from_month date NOT NULL, position bigint NOT NULL, category text NOT NULL,
      monthly_income_fen integer, monthly_fen integer NOT NULL, PRIMARY KEY (member_id, position));
    CREATE TABLE ${s}.payments (member_id uuid NOT NULL, month date NOT NULL, amount_fen integer NOT NULL, paid_on date NOT NULL,
      channel text NOT NULL, position bigint NOT NULL, PRIMARY KEY (member_id, month, position));`,

  createIndexes: (s) => `
    CREATE INDEX ON ${s}.member_orgs (member_id);
    CREATE INDEX ON ${s}.member_orgs USING gist (org_id, valid);
    CREATE INDEX ON ${s}.assessments (member_id, from_month DESC, position DESC);
    CREATE INDEX ON ${s}.payments (month);`,

  views: (s) => [
    {
      name: 'dues_member_orgs',
      comment: 'The organisation holding each member relation over business time (for dues by subtree)',
      select: `SELECT member_id, valid, org_id FROM ${s}.member_orgs`,
    },
    {
      name: 'dues_assessments',
      comment:
        'Dues assessments; the amount due for a month is that of the latest assessment with from_month at or before it',
      select: `SELECT member_id, from_month, position, category, monthly_income_fen, monthly_fen FROM ${s}.assessments`,
    },
    {
      name: 'dues_payments',
      comment:
        'Dues paid per member and month (a payment for several months is split evenly, the remainder on the earliest)',
      select: `SELECT member_id, month, amount_fen, paid_on, channel FROM ${s}.payments`,
    },
  ],

  async apply(tables, events) {
    const memberEvents = eventsOf(events, 'member');
    if (memberEvents.length === 0) return;
    const ids = unique(memberEvents.map((e) => e.id));
    const members = tables.keyed(MEMBERS);
    const rows = await members.load(ids);
    const moved = new Map<string, DuesMemberRow>();
    const touched = new Map<string, DuesMemberRow>();
    const assessments: AssessmentRow[] = [];
    const payments: PaymentRow[] = [];
    for (const { id, event } of memberEvents) {
      let row = rows.get(id);
      if (!row) {
        row = { member_id: id, position: '0', facts: [] };
        rows.set(id, row);
      }
      if (!isNew(row, event)) continue;
      const e = domainEventOf<MemberEvent>(event);
      const fact = memberFactOf(event);
      if (
        fact &&
        fact.kind !== 'employment' &&
        fact.kind !== 'flowed-out' &&
        fact.kind !== 'flow-returned' &&
        fact.kind !== 'confirmed'
      ) {
        row.facts.push(fact);
        moved.set(id, row);
      } else if (e.type === 'DuesAssessed') {
        assessments.push({
          member_id: id,
          from_month: monthStart(e.data.from),
          position: event.position.toString(),
          category: e.data.category,
          monthly_income_fen: e.data.monthlyIncomeFen,
          monthly_fen: e.data.monthlyDuesFen,
        });
      } else if (e.type === 'DuesPaid') {
        const months = [...e.data.months].sort();
        const share = Math.floor(e.data.amountFen / months.length);
        const remainder = e.data.amountFen - share * months.length;
        months.forEach((month, index) =>
          payments.push({
            member_id: id,
            month: monthStart(month),
            amount_fen: share + (index === 0 ? remainder : 0),
            paid_on: e.data.paidOn,
            channel: e.data.channel,
            position: event.position.toString(),
          }),
        );
      } else {
        continue;
      }
      row.position = event.position.toString();
      touched.set(id, row);
    }
    await members.upsert([...touched.values()]);
    await tables.owned(MEMBER_ORGS).replace(
      [...moved.keys()],
      [...moved].flatMap(([id, row]) =>
        mergeByOrg(placements(row.facts)).map((p) => ({
          member_id: id,
          valid: dateRange(p.from, p.to),
          org_id: p.orgId,
        })),
      ),
    );
    await tables.appended(ASSESSMENTS).insert(assessments);
    await tables.appended(PAYMENTS).insert(payments);
  },
};

/** Placements differ in standing and flow too; dues only need the organisation. */
function mergeByOrg(segments: ReturnType<typeof placements>): { from: string; to: string | null; orgId: string }[] {
  const merged: { from: string; to: string | null; orgId: string }[] = [];
  for (const segment of segments) {
    const last = merged.at(-1);
    if (last && last.to === segment.from && last.orgId === segment.value.orgId) last.to = segment.to;
    else merged.push({ from: segment.from, to: segment.to, orgId: segment.value.orgId });
  }
  return merged;
}
