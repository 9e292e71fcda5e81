import { meetingKeyOf, type OrganizationEvent, type OrganizationState } from './organization';

export const initialOrganizationState = (): OrganizationState => ({ status: 'none' });

export function evolveOrganization(state: OrganizationState, event: OrganizationEvent): OrganizationState {
  if (event.type === 'OrganizationEstablished' || event.type === 'JointBranchFormed') {
    const e = event.data;
    return {
      status: 'active',
      establishment: e,
      name: e.name,
      parentId: e.parentId ?? null,
      unitIds: e.unitIds,
      formerUnitIds: [],
      secretaryId: null,
      dissolvedOn: null,
      committee: null,
      postponedUntil: null,
      ratings: {},
      meetings: {},
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'UnitJoinedOrganization':
      return {
        ...state,
        unitIds: [...state.unitIds, event.data.unitId],
        formerUnitIds: state.formerUnitIds.filter((id) => id !== event.data.unitId),
      };
    case 'UnitLeftOrganization':
      return {
        ...state,
        unitIds: state.unitIds.filter((id) => id !== event.data.unitId),
        formerUnitIds: [...state.formerUnitIds, event.data.unitId],
      };
    case 'OrganizationReparented':
      return { ...state, parentId: event.data.toParentId };
    case 'OrganizationRenamed':
      return { ...state, name: event.data.to };
    case 'SecretaryAppointed':
      return { ...state, secretaryId: event.data.memberId };
    case 'OrganizationDissolved':
      return { ...state, status: 'dissolved', dissolvedOn: event.data.effectiveOn };
    case 'CommitteeElected': {
      const { organizationId: _, ...committee } = event.data;
      const secretary = committee.members.find((seat) => seat.role === 'secretary');
      return { ...state, committee, postponedUntil: null, secretaryId: secretary?.memberId ?? state.secretaryId };
    }
    case 'MeetingHeld': {
      const { organizationId: _, ...meeting } = event.data;
      return { ...state, meetings: { ...state.meetings, [meetingKeyOf(meeting)]: meeting } };
    }
    case 'OrganizationRated':
      return { ...state, ratings: { ...state.ratings, [String(event.data.year)]: event.data.stars } };
    case 'ElectionPostponed':
      return { ...state, postponedUntil: event.data.until };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
