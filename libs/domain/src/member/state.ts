import { addYears } from '../calendar';
import type { MemberEvent, MemberRegistration, MemberState } from './member';

export const initialMemberState = (): MemberState => ({ status: 'unregistered' });

export const assessmentKey = (from: string, category: string, monthlyIncomeFen: number | null): string =>
  `${from}|${category}|${monthlyIncomeFen ?? ''}`;
export const paymentKey = (months: readonly string[], amountFen: number, paidOn: string): string =>
  `${[...months].sort().join(',')}|${amountFen}|${paidOn}`;

/** Probation lasts a year from admission (发展党员工作细则 art. 30). */
export const probationEndOf = (joinedOn: string): string => addYears(joinedOn, 1);

/** A member registered as full counts standing from the probation's end, or from an earlier confirmation the old records give. */
export function fullSinceAtRegistration(registration: MemberRegistration): string | null {
  if (registration.status !== 'full') return null;
  const probationEnd = probationEndOf(registration.joinedOn);
  const confirmed = registration.confirmedOn;
  return confirmed !== undefined && confirmed < probationEnd ? confirmed : probationEnd;
}

export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  if (event.type === 'MemberRegistered') {
    const r = event.data;
    return {
      status: 'member',
      registration: r,
      standing: r.status,
      confirmedOn: r.confirmedOn ?? null,
      fullSince: fullSinceAtRegistration(r),
      probationEndsOn: r.status === 'probationary' ? probationEndOf(r.joinedOn) : null,
      probationExtension: null,
      suspendedOn: null,
      lastReinstated: null,
      appraisals: {},
      pointsEntries: [],
      orgId: r.orgId,
      unitId: r.unitId ?? null,
      pendingTransfer: null,
      transfers: {},
      flowing: null,
      lastFlowReturn: null,
      lostContactSince: null,
      lastContactRestored: null,
      assessments: [],
      paidMonths: [],
      payments: [],
      personalDataForgotten: false,
    };
  }
  if (state.status === 'unregistered') return state;
  switch (event.type) {
    case 'MemberConfirmed':
      return {
        ...state,
        standing: 'full',
        confirmedOn: event.data.effectiveOn,
        fullSince: event.data.fullSince ?? state.probationEndsOn ?? event.data.effectiveOn,
      };
    case 'ProbationExtended':
      return {
        ...state,
        probationEndsOn: event.data.probationEndsOn,
        probationExtension: { months: event.data.months, decidedOn: event.data.decidedOn },
      };
    case 'ProbationAnnulled':
      return { ...state, status: 'left', left: { reason: 'probation-annulled', effectiveOn: event.data.decidedOn } };
    case 'MemberSuspended':
      return { ...state, suspendedOn: event.data.decidedOn };
    case 'PointsRecorded': {
      const { memberId: _, ...entry } = event.data;
      return { ...state, pointsEntries: [...state.pointsEntries, entry] };
    }
    case 'MemberAppraised':
      return { ...state, appraisals: { ...state.appraisals, [String(event.data.year)]: event.data.grade } };
    case 'MemberReinstated':
      return { ...state, suspendedOn: null, lastReinstated: event.data.decidedOn };
    case 'MemberEmploymentChanged':
      return { ...state, unitId: event.data.unitId };
    case 'TransferInitiated': {
      const { transferId, to, letterNo, effectiveOn, validUntil } = event.data;
      return {
        ...state,
        pendingTransfer: { transferId, to, letterNo, effectiveOn, validUntil },
        transfers: { ...state.transfers, [transferId]: 'pending' },
      };
    }
    case 'TransferAccepted': {
      const to = event.data.to;
      return {
        ...state,
        orgId: 'orgId' in to ? to.orgId : null,
        pendingTransfer: null,
        transfers: { ...state.transfers, [event.data.transferId]: 'accepted' },
      };
    }
    case 'TransferRejected':
      return {
        ...state,
        pendingTransfer: null,
        transfers: { ...state.transfers, [event.data.transferId]: 'rejected' },
      };
    case 'TransferCancelled':
      return {
        ...state,
        pendingTransfer: null,
        transfers: { ...state.transfers, [event.data.transferId]: 'cancelled' },
      };
    case 'MemberFlowedOut':
      return {
        ...state,
        flowing: {
          since: event.data.since,
          destinationRegionCode: event.data.destinationRegionCode,
          hostOrgId: event.data.hostOrgId,
        },
      };
    case 'MemberFlowReturned':
      return { ...state, flowing: null, lastFlowReturn: event.data.effectiveOn };
    case 'MemberLostContact':
      return { ...state, lostContactSince: event.data.since };
    case 'MemberContactRestored':
      return { ...state, lostContactSince: null, lastContactRestored: event.data.effectiveOn };
    case 'DuesAssessed': {
      const { from, category, monthlyIncomeFen, monthlyDuesFen } = event.data;
      const assessments = [
        ...state.assessments,
        { from, monthlyDuesFen, key: assessmentKey(from, category, monthlyIncomeFen) },
      ];
      return { ...state, assessments: assessments.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)) };
    }
    case 'DuesPaid':
      return {
        ...state,
        paidMonths: [...state.paidMonths, ...event.data.months],
        payments: [...state.payments, paymentKey(event.data.months, event.data.amountFen, event.data.paidOn)],
      };
    case 'MemberLeft':
      return { ...state, status: 'left', left: { reason: event.data.reason, effectiveOn: event.data.effectiveOn } };
    case 'PersonalDataForgotten':
      return { ...state, personalDataForgotten: true };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
