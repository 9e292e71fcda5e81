import type { RecordedEvent } from '@registry/event-store';
import type { Establishment, OrganizationEvent } from '@registry/domain';
import { domainEventOf } from '../runtime/domain-event';
import { type Segment, timeline } from './timeline';

/** What a read model keeps of an organisation's events, each with its business date. */
export type OrganizationFact =
  | {
      readonly kind: 'established';
      readonly on: string;
      readonly name: string;
      readonly level: string;
      readonly form: string;
      readonly regionCode: string;
      readonly parentId: string | null;
      readonly unitIds: readonly string[];
    }
  | { readonly kind: 'unit-joined' | 'unit-left'; readonly on: string; readonly unitId: string }
  | { readonly kind: 'reparented'; readonly on: string; readonly parentId: string }
  | { readonly kind: 'renamed'; readonly on: string; readonly name: string }
  | { readonly kind: 'secretary'; readonly on: string; readonly memberId: string }
  | { readonly kind: 'dissolved'; readonly on: string };

export function organizationFactOf(event: RecordedEvent): OrganizationFact | null {
  const e = domainEventOf<OrganizationEvent>(event);
  switch (e.type) {
    case 'OrganizationEstablished':
    case 'JointBranchFormed': {
      const d: Establishment = e.data;
      return {
        kind: 'established',
        on: d.establishedOn,
        name: d.name,
        level: d.level,
        form: d.form,
        regionCode: d.regionCode,
        parentId: d.parentId ?? null,
        unitIds: d.unitIds,
      };
    }
    case 'UnitJoinedOrganization':
      return { kind: 'unit-joined', on: e.data.effectiveOn, unitId: e.data.unitId };
    case 'UnitLeftOrganization':
      return { kind: 'unit-left', on: e.data.effectiveOn, unitId: e.data.unitId };
    case 'OrganizationReparented':
      return { kind: 'reparented', on: e.data.effectiveOn, parentId: e.data.toParentId };
    case 'OrganizationRenamed':
      return { kind: 'renamed', on: e.data.effectiveOn, name: e.data.to };
    case 'SecretaryAppointed':
      return { kind: 'secretary', on: e.data.effectiveOn, memberId: e.data.memberId };
    case 'OrganizationDissolved':
      return { kind: 'dissolved', on: e.data.effectiveOn };
    case 'CommitteeElected': {
      const secretary = e.data.members.find((seat) => seat.role === 'secretary');
      return secretary ? { kind: 'secretary', on: e.data.electedOn, memberId: secretary.memberId } : null;
    }
    default:
      return null;
  }
}

export interface OrganizationVersion {
  readonly name: string;
  readonly level: string;
  readonly form: string;
  readonly regionCode: string;
  readonly parentId: string | null;
  readonly secretaryId: string | null;
}

interface OrganizationFold extends OrganizationVersion {
  readonly exists: boolean;
  readonly unitIds: readonly string[];
}

const NONE: OrganizationFold = {
  exists: false,
  name: '',
  level: '',
  form: '',
  regionCode: '',
  parentId: null,
  secretaryId: null,
  unitIds: [],
};

function step(state: OrganizationFold, fact: OrganizationFact): OrganizationFold {
  switch (fact.kind) {
    case 'established':
      return {
        exists: true,
        name: fact.name,
        level: fact.level,
        form: fact.form,
        regionCode: fact.regionCode,
        parentId: fact.parentId,
        secretaryId: null,
        unitIds: [...fact.unitIds].sort(),
      };
    case 'unit-joined':
      return state.unitIds.includes(fact.unitId)
        ? state
        : { ...state, unitIds: [...state.unitIds, fact.unitId].sort() };
    case 'unit-left':
      return { ...state, unitIds: state.unitIds.filter((id) => id !== fact.unitId) };
    case 'reparented':
      return { ...state, parentId: fact.parentId };
    case 'renamed':
      return { ...state, name: fact.name };
    case 'secretary':
      return { ...state, secretaryId: fact.memberId };
    case 'dissolved':
      return { ...state, exists: false, unitIds: [] };
  }
}

/** The organisation's attributes over business time; nothing before establishment or after dissolution. */
export function organizationVersions(facts: readonly OrganizationFact[]): Segment<OrganizationVersion>[] {
  return timeline(facts, NONE, step, (s) =>
    s.exists
      ? {
          name: s.name,
          level: s.level,
          form: s.form,
          regionCode: s.regionCode,
          parentId: s.parentId,
          secretaryId: s.secretaryId,
        }
      : null,
  );
}

/** The parent over business time (null value: a root). */
export function parentTimeline(facts: readonly OrganizationFact[]): Segment<string | null>[] {
  return timeline(facts, NONE, step, (s) => (s.exists ? { parentId: s.parentId } : null)).map((seg) => ({
    ...seg,
    value: seg.value.parentId,
  }));
}

/** Each unit the organisation covered, with the intervals it covered it. */
export function unitLinks(
  facts: readonly OrganizationFact[],
): { readonly unitId: string; readonly from: string; readonly to: string | null }[] {
  const links: { unitId: string; from: string; to: string | null }[] = [];
  const open = new Map<string, { unitId: string; from: string; to: string | null }>();
  const segments = timeline(facts, NONE, step, (s) => (s.exists && s.unitIds.length > 0 ? s.unitIds : null));
  let previousEnd: string | null = null;
  for (const segment of segments) {
    if (previousEnd !== segment.from) {
      for (const link of open.values()) link.to = previousEnd;
      open.clear();
    }
    for (const [unitId, link] of open) {
      if (!segment.value.includes(unitId)) {
        link.to = segment.from;
        open.delete(unitId);
      }
    }
    for (const unitId of segment.value) {
      if (!open.has(unitId)) {
        const link = { unitId, from: segment.from, to: null };
        links.push(link);
        open.set(unitId, link);
      }
    }
    previousEnd = segment.to;
  }
  for (const link of open.values()) link.to = previousEnd;
  return links;
}

/**
 * Ancestor paths over business time for every organisation (surrogate node ids, root first).
 * An organisation whose parent does not exist on some dates (a gap left by a retroactive entry)
 * stands as its own root there, so it is never lost from the answers.
 */
export function pathTimelines(
  organizations: ReadonlyMap<string, { readonly node: number; readonly parents: readonly Segment<string | null>[] }>,
  wanted: Iterable<string>,
): Map<string, Segment<number[]>[]> {
  const memo = new Map<string, Segment<number[]>[]>();
  const visiting = new Set<string>();
  const pathsOf = (id: string): Segment<number[]>[] => {
    const known = memo.get(id);
    if (known) return known;
    const organization = organizations.get(id);
    if (!organization) return [];
    if (visiting.has(id)) throw new Error(`organisation ${id} is its own ancestor`);
    visiting.add(id);
    const pieces: { from: string; to: string | null; value: number[] }[] = [];
    for (const parentSegment of organization.parents) {
      const self = [organization.node];
      if (parentSegment.value === null) {
        pieces.push({ from: parentSegment.from, to: parentSegment.to, value: self });
        continue;
      }
      let cursor = parentSegment.from;
      for (const above of pathsOf(parentSegment.value)) {
        const from = above.from > cursor ? above.from : cursor;
        const to = minEnd(above.to, parentSegment.to);
        if (to !== null && from >= to) continue;
        if (from > cursor) pieces.push({ from: cursor, to: from, value: self });
        pieces.push({ from, to, value: [...above.value, organization.node] });
        cursor = to ?? '9999-12-31';
        if (to === null) break;
      }
      if (parentSegment.to === null ? cursor !== '9999-12-31' : cursor < parentSegment.to)
        pieces.push({ from: cursor, to: parentSegment.to, value: self });
    }
    const merged: { from: string; to: string | null; value: number[] }[] = [];
    for (const piece of pieces) {
      const last = merged.at(-1);
      if (last && last.to === piece.from && last.value.join('.') === piece.value.join('.')) last.to = piece.to;
      else merged.push(piece);
    }
    visiting.delete(id);
    memo.set(id, merged);
    return merged;
  };
  const result = new Map<string, Segment<number[]>[]>();
  for (const id of wanted) result.set(id, pathsOf(id));
  return result;
}

function minEnd(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}
