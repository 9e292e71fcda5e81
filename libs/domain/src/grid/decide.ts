import { type CommandContext, type Decider, notInFuture, refuse, sameFacts } from '../decider';
import {
  GRID_LEAD_MINIMUM_STARS,
  type GridCommand,
  type GridEvent,
  type GridPeriod,
  type GridState,
  type UnitLookup,
} from './grid';
import { evolveGrid, initialGridState } from './state';

type ActiveGrid = Extract<GridState, { status: 'active' }>;

function active(state: GridState, gridId: string): ActiveGrid {
  if (state.status === 'none') return refuse('grid-not-found', `grid ${gridId} does not exist`);
  return state;
}

function usableUnit(unit: UnitLookup, unitId: string, field: string): void {
  if (unit === 'missing') refuse('unit-not-found', `unit ${unitId} is not registered`, field);
  if (unit === 'closed') refuse('unit-closed', `unit ${unitId} has closed`, field);
}

const openPeriodOf = (state: ActiveGrid, unitId: string): GridPeriod | undefined =>
  state.periods.find((period) => period.unitId === unitId && period.to === null);

export function decideGrid(command: GridCommand, state: GridState, context: CommandContext): GridEvent[] {
  switch (command.type) {
    case 'EstablishGrid': {
      const { lead, leadRating, units, ...establishment } = command.data;
      if (state.status === 'active') {
        if (sameFacts(state.establishment, establishment)) return [];
        return refuse('grid-already-exists', `grid ${establishment.gridId} already exists`);
      }
      notInFuture(establishment.establishedOn, context, 'establishedOn');
      if (lead === 'missing')
        refuse('organization-not-found', `organisation ${establishment.leadOrgId} does not exist`, 'leadOrgId');
      if (lead === 'dissolved')
        refuse('organization-dissolved', `organisation ${establishment.leadOrgId} is dissolved`, 'leadOrgId');
      if (!leadRating || leadRating.stars < GRID_LEAD_MINIMUM_STARS)
        refuse(
          'grid-lead-not-exemplary',
          leadRating
            ? `the lead's latest rating (${leadRating.year}) has ${leadRating.stars} stars; a grid's lead needs ${GRID_LEAD_MINIMUM_STARS} or more`
            : `the lead has no rating decided by ${establishment.establishedOn}; a grid's lead needs ${GRID_LEAD_MINIMUM_STARS} stars or more`,
          'leadOrgId',
        );
      units.forEach((unit, i) => usableUnit(unit, establishment.unitIds[i] ?? '', `unitIds[${i}]`));
      return [{ type: 'GridEstablished', data: establishment }];
    }
    case 'JoinGrid': {
      const { unit, ...joining } = command.data;
      const grid = active(state, joining.gridId);
      const open = openPeriodOf(grid, joining.unitId);
      if (open) {
        if (open.from === joining.effectiveOn) return [];
        return refuse('unit-already-in-grid', `unit ${joining.unitId} is in the grid since ${open.from}`, 'unitId');
      }
      usableUnit(unit, joining.unitId, 'unitId');
      notInFuture(joining.effectiveOn, context, 'effectiveOn');
      if (joining.effectiveOn < grid.establishment.establishedOn)
        refuse(
          'date-before-establishment',
          `effectiveOn is before the grid was established (${grid.establishment.establishedOn})`,
          'effectiveOn',
        );
      const lastLeft = grid.periods
        .filter((period) => period.unitId === joining.unitId)
        .map((period) => period.to ?? '')
        .sort()
        .at(-1);
      if (lastLeft && joining.effectiveOn < lastLeft)
        refuse(
          'date-before-leaving',
          `the unit left the grid on ${lastLeft}; it can join again from then`,
          'effectiveOn',
        );
      return [{ type: 'GridUnitJoined', data: joining }];
    }
    case 'LeaveGrid': {
      const grid = active(state, command.data.gridId);
      const open = openPeriodOf(grid, command.data.unitId);
      if (!open) {
        const left = grid.periods.some(
          (period) => period.unitId === command.data.unitId && period.to === command.data.effectiveOn,
        );
        if (left) return [];
        return refuse('unit-not-in-grid', `unit ${command.data.unitId} is not in the grid`, 'unitId');
      }
      notInFuture(command.data.effectiveOn, context, 'effectiveOn');
      if (command.data.effectiveOn <= open.from)
        refuse('date-before-joining', `effectiveOn must be after the unit joined (${open.from})`, 'effectiveOn');
      return [{ type: 'GridUnitLeft', data: command.data }];
    }
  }
}

export const gridDecider: Decider<GridCommand, GridEvent, GridState> = {
  decide: decideGrid,
  evolve: evolveGrid,
  initialState: initialGridState,
};

/** The units in the grid on a date. */
export function gridUnitsOn(periods: readonly GridPeriod[], date: string): string[] {
  return periods
    .filter((period) => period.from <= date && (period.to === null || date < period.to))
    .map((period) => period.unitId);
}
