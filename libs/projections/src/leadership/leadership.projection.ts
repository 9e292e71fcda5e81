import type { OrganizationEvent } from '@registry/domain';
import type { ProjectionDefinition } from '../projection';
import { domainEventOf } from '../runtime/domain-event';
import { eventsOf, isNew, unique } from '../runtime/stream-events';
import { keyedTable } from '../runtime/tables';

interface TermRow {
  org_id: string;
  position: string;
  elected_on: string;
  term_years: number;
  term_ends_on: string;
  postponed_until: string | null;
  dissolved_on: string | null;
}

const TERMS = keyedTable<TermRow>('terms', 'org_id', {
  org_id: 'uuid',
  position: 'bigint',
  elected_on: 'date',
  term_years: 'integer',
  term_ends_on: 'date',
  postponed_until: 'date',
  dissolved_on: 'date',
});

/** Each organisation's current term (换届): the last election, its end, a postponement. */
export const leadershipProjection: ProjectionDefinition = {
  name: 'leadership',
  version: 1,
  description: "organisations' terms: the last committee elected, when its term ends, and any postponement",

  categories: ['organization'],
  rebuildWeight: 1,

  createTables: (s) => `
    CREATE TABLE ${s}.terms (
      org_id uuid PRIMARY KEY, position bigint NOT NULL, elected_on date NOT NULL, term_years integer NOT NULL,
      term_ends_on date NOT NULL, postponed_until date, dissolved_on date);`,

  createIndexes: (s) => `CREATE INDEX ON ${s}.terms (term_ends_on);`,

  views: (s) => [
    {
      name: 'terms',
      comment: "Organisations' current terms (换届): last election, term end, postponement; dissolved ones dated",
      select: `SELECT org_id, elected_on, term_years, term_ends_on, postponed_until, dissolved_on FROM ${s}.terms`,
    },
  ],

  async apply(tables, events) {
    const relevant = eventsOf(events, 'organization').filter(({ event }) =>
      ['CommitteeElected', 'ElectionPostponed', 'OrganizationDissolved'].includes(event.type),
    );
    if (relevant.length === 0) return;
    const terms = tables.keyed(TERMS);
    const rows = await terms.load(unique(relevant.map(({ id }) => id)));
    const changed = new Map<string, TermRow>();
    for (const { id, event } of relevant) {
      const e = domainEventOf<OrganizationEvent>(event);
      const row = rows.get(id);
      if (row && !isNew(row, event)) continue;
      if (e.type === 'CommitteeElected') {
        const next: TermRow = {
          org_id: id,
          position: event.position.toString(),
          elected_on: e.data.electedOn,
          term_years: e.data.termYears,
          term_ends_on: e.data.termEndsOn,
          postponed_until: null,
          dissolved_on: row?.dissolved_on ?? null,
        };
        rows.set(id, next);
        changed.set(id, next);
        continue;
      }
      if (!row) continue;
      if (e.type === 'ElectionPostponed') row.postponed_until = e.data.until;
      else if (e.type === 'OrganizationDissolved') row.dissolved_on = e.data.effectiveOn;
      row.position = event.position.toString();
      changed.set(id, row);
    }
    await terms.upsert([...changed.values()]);
  },
};
