import type { Command, Event } from '../decider';
import type { OrganizationLookup } from '../organization/organization';

/** 网格联建: units of an area or industry joined under one lead organisation. */
export interface GridEstablishment {
  readonly gridId: string;
  readonly name: string;
  readonly regionCode: string;
  readonly leadOrgId: string;
  readonly unitIds: readonly string[];
  readonly establishedOn: string;
}

/** A grid's lead must be exemplary (≥ 4 stars) in its latest rating (Longwen: 四星级、五星级党组织牵头). */
export const GRID_LEAD_MINIMUM_STARS = 4;

export type UnitLookup = 'operating' | 'closed' | 'missing';

export type GridCommand =
  | Command<
      'EstablishGrid',
      GridEstablishment & {
        readonly lead: OrganizationLookup;
        /** The lead's latest rating decided on or before `establishedOn`, if any. */
        readonly leadRating: { readonly year: number; readonly stars: number } | null;
        /** Each of `unitIds`, looked up. */
        readonly units: readonly UnitLookup[];
      }
    >
  | Command<'JoinGrid', { gridId: string; unitId: string; effectiveOn: string; unit: UnitLookup }>
  | Command<'LeaveGrid', { gridId: string; unitId: string; effectiveOn: string }>;

export type GridEvent =
  | Event<'GridEstablished', GridEstablishment>
  | Event<'GridUnitJoined', { gridId: string; unitId: string; effectiveOn: string }>
  | Event<'GridUnitLeft', { gridId: string; unitId: string; effectiveOn: string }>;

/** A unit's time in the grid: from joining to leaving (exclusive), or still in it. */
export interface GridPeriod {
  readonly unitId: string;
  readonly from: string;
  readonly to: string | null;
}

export type GridState =
  | { readonly status: 'none' }
  | { readonly status: 'active'; readonly establishment: GridEstablishment; readonly periods: readonly GridPeriod[] };
