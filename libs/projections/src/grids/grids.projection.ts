import { evolveGrid, type GridEvent, type GridPeriod, type GridState } from '@registry/domain';
import type { ProjectionDefinition } from '../projection';
import { domainEventOf } from '../runtime/domain-event';
import { eventsOf, isNew, unique } from '../runtime/stream-events';
import { keyedTable } from '../runtime/tables';

interface GridRow {
  grid_id: string;
  position: string;
  name: string;
  region_code: string;
  lead_org_id: string;
  unit_ids: string[];
  established_on: string;
  /** Each unit's time in the grid, `{ unitId, from, to }` (to exclusive, null while in it). */
  unit_periods: GridPeriod[];
}

const GRIDS = keyedTable<GridRow>('grids', 'grid_id', {
  grid_id: 'uuid',
  position: 'bigint',
  name: 'text',
  region_code: 'text',
  lead_org_id: 'uuid',
  unit_ids: 'jsonb',
  established_on: 'date',
  unit_periods: 'jsonb',
});

const stateOf = (row: GridRow): GridState => ({
  status: 'active',
  establishment: {
    gridId: row.grid_id,
    name: row.name,
    regionCode: row.region_code,
    leadOrgId: row.lead_org_id,
    unitIds: row.unit_ids,
    establishedOn: row.established_on,
  },
  periods: row.unit_periods,
});

/** Grids (网格联建): the lead organisation and each unit's periods in the grid, in business time. */
export const gridsProjection: ProjectionDefinition = {
  name: 'grids',
  version: 1,
  description: 'grids (网格联建): lead organisation and the periods each unit spent in the grid',

  categories: ['grid'],
  rebuildWeight: 1,

  createTables: (s) => `
    CREATE TABLE ${s}.grids (
      grid_id uuid PRIMARY KEY, position bigint NOT NULL, name text NOT NULL, region_code text NOT NULL,
      lead_org_id uuid NOT NULL, unit_ids jsonb NOT NULL, established_on date NOT NULL, unit_periods jsonb NOT NULL);`,

  createIndexes: (s) => `CREATE INDEX ON ${s}.grids (lead_org_id);`,

  views: (s) => [
    {
      name: 'grids',
      comment: 'Grids (网格联建): name, region, lead organisation, established on',
      select: `SELECT grid_id, name, region_code, lead_org_id, established_on FROM ${s}.grids`,
    },
    {
      name: 'grid_units',
      comment: 'Each unit’s time in a grid as a business-date interval (to exclusive, open while in it)',
      select: `SELECT g.grid_id, (p->>'unitId')::uuid AS unit_id, daterange((p->>'from')::date, (p->>'to')::date) AS valid
                 FROM ${s}.grids g, jsonb_array_elements(g.unit_periods) p`,
    },
  ],

  async apply(tables, events) {
    const gridEvents = eventsOf(events, 'grid');
    if (gridEvents.length === 0) return;
    const table = tables.keyed(GRIDS);
    const rows = await table.load(unique(gridEvents.map(({ id }) => id)));
    const changed = new Map<string, GridRow>();
    for (const { id, event } of gridEvents) {
      const row = rows.get(id);
      if (row && !isNew(row, event)) continue;
      const e = domainEventOf<GridEvent>(event);
      const state = evolveGrid(row ? stateOf(row) : { status: 'none' }, e);
      if (state.status !== 'active') continue;
      const next: GridRow = {
        grid_id: id,
        position: event.position.toString(),
        name: state.establishment.name,
        region_code: state.establishment.regionCode,
        lead_org_id: state.establishment.leadOrgId,
        unit_ids: [...state.establishment.unitIds],
        established_on: state.establishment.establishedOn,
        unit_periods: [...state.periods],
      };
      rows.set(id, next);
      changed.set(id, next);
    }
    await table.upsert([...changed.values()]);
  },
};
