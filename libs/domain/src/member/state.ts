import type { MemberEvent, MemberState } from './member';

export const initialMemberState = (): MemberState => ({ status: 'unregistered' });

export const assessmentKey = (from: string, category: string, monthlyIncomeFen: number | null): string =>
  `${from}|${category}|${monthlyIncomeFen ?? ''}`;
export const paymentKey = (months: readonly string[], amountFen: number, paidOn: string): string =>
  `${[...months].sort().join(',')}|${amountFen}|${paidOn}`;

export function evolveMember(state: MemberState, event: MemberEvent): MemberState {
  if (event.type === 'MemberRegistered') {
    const r = event.data;
    return {
      status: 'member',
      registration: r,
      standing: r.status,
      confirmedOn: null,
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
      return { ...state, standing: 'full', confirmedOn: event.data.effectiveOn };
    case 'MemberEmploymentChanged':
      return { ...state, unitId: event.data.unitId };
    case 'TransferInitiated': {
      const { transferId, to, letterNo, effectiveOn } = event.data;
      return {
        ...state,
        pendingTransfer: { transferId, to, letterNo, effectiveOn },
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
        flowing: { since: event.data.since, destinationRegionCode: event.data.destinationRegionCode },
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
