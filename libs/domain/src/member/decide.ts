import { addDays, addMonths } from '../calendar';
import { type CommandContext, type Decider, notInFuture, refuse, sameFacts } from '../decider';
import type { OrganizationLookup } from '../organization';
import { monthlyDuesFen } from './dues';
import {
  type CurrentMember,
  DEFAULT_TRANSFER_SETTINGS,
  type FormerMember,
  type MemberCommand,
  type MemberEvent,
  type MemberState,
} from './member';
import { assessmentKey, evolveMember, initialMemberState, paymentKey, probationEndOf } from './state';

/** An extension of probation lasts 6 to 12 months, and is decided once (发展党员工作细则 art. 31). */
export const PROBATION_EXTENSION_MONTHS = { min: 6, max: 12 } as const;
/** Out of contact this long, a member's suspension may be decided (党员教育管理工作条例 art. 24). */
export const LOST_CONTACT_MONTHS_BEFORE_SUSPENSION = 6;

type Registered = CurrentMember | FormerMember;

function registered(state: MemberState, memberId: string): Registered {
  if (state.status === 'unregistered') return refuse('member-not-found', `member ${memberId} is not registered`);
  return state;
}

function current(state: MemberState, memberId: string): CurrentMember {
  const member = registered(state, memberId);
  if (member.status === 'left') return refuse('member-left', `member ${memberId} left on ${member.left.effectiveOn}`);
  return member;
}

function notBeforeRegistration(member: Registered, date: string, field: string): void {
  if (date < member.registration.effectiveOn) {
    refuse(
      'date-before-registration',
      `${field} is before the member's registration (${member.registration.effectiveOn})`,
      field,
    );
  }
}

function notBeforeAdmission(member: Registered, date: string, field: string): void {
  if (date < member.registration.joinedOn)
    refuse(
      'date-before-admission',
      `${field} is before the member joined the Party (${member.registration.joinedOn})`,
      field,
    );
}

/** The probation's end, for a member still on probation. */
function probationary(member: CurrentMember, memberId: string): string {
  if (member.standing === 'full' || member.probationEndsOn === null)
    return refuse('member-not-probationary', `member ${memberId} is a full member`);
  return member.probationEndsOn;
}

function usableOrganization(lookup: OrganizationLookup | undefined, orgId: string, field: string): void {
  if (lookup === undefined || lookup === 'missing')
    refuse('organization-not-found', `organisation ${orgId} does not exist`, field);
  if (lookup === 'dissolved') refuse('organization-dissolved', `organisation ${orgId} is dissolved`, field);
}

/** The months paid for must each fall under an assessment; their dues must add up to the amount. */
function duesFor(member: CurrentMember, months: readonly string[]): number {
  let total = 0;
  for (const month of months) {
    const assessment = [...member.assessments].reverse().find((a) => a.from <= month);
    if (!assessment) return refuse('dues-not-assessed', `no dues assessment covers ${month}`, 'months');
    total += assessment.monthlyDuesFen;
  }
  return total;
}

export function decideMember(
  command: MemberCommand,
  state: MemberState,
  context: CommandContext,
): readonly MemberEvent[] {
  const settings = context.rules?.transfers ?? DEFAULT_TRANSFER_SETTINGS;
  switch (command.type) {
    case 'RegisterMember': {
      const { organization, ...registration } = command.data;
      if (state.status !== 'unregistered') {
        if (sameFacts(state.registration, registration)) return [];
        return refuse('member-already-registered', `member ${registration.memberId} is already registered`);
      }
      usableOrganization(organization, registration.orgId, 'orgId');
      notInFuture(registration.joinedOn, context, 'joinedOn');
      notInFuture(registration.effectiveOn, context, 'effectiveOn');
      if (registration.effectiveOn < registration.joinedOn) {
        refuse('date-before-admission', 'effectiveOn is before the member joined the Party', 'effectiveOn');
      }
      const { confirmedOn } = registration;
      if (confirmedOn !== undefined) {
        if (registration.status !== 'full')
          refuse('confirmed-member-not-full', 'a member with a confirmation date is a full member', 'confirmedOn');
        if (confirmedOn < registration.joinedOn)
          refuse('date-before-admission', 'confirmedOn is before the member joined the Party', 'confirmedOn');
        notInFuture(confirmedOn, context, 'confirmedOn');
      } else if (registration.status === 'full' && probationEndOf(registration.joinedOn) > context.today) {
        refuse(
          'probation-not-ended',
          `admitted on ${registration.joinedOn}, the member is on probation until ${probationEndOf(registration.joinedOn)}; register as probationary, or give the confirmation date of a migrated record`,
          'status',
        );
      }
      return [{ type: 'MemberRegistered', data: registration }];
    }
    case 'ConfirmMember': {
      const member = current(state, command.data.memberId);
      if (member.standing === 'full') {
        if (member.confirmedOn === command.data.effectiveOn) return [];
        return refuse('member-not-probationary', `member ${command.data.memberId} is already a full member`);
      }
      const probationEnds = member.probationEndsOn ?? probationEndOf(member.registration.joinedOn);
      if (command.data.effectiveOn < probationEnds) {
        refuse('probation-not-ended', `the probation lasts until ${probationEnds}`, 'effectiveOn');
      }
      notInFuture(command.data.effectiveOn, context, 'effectiveOn');
      return [{ type: 'MemberConfirmed', data: { ...command.data, fullSince: probationEnds } }];
    }
    case 'ExtendProbation': {
      const { memberId, months, decidedOn, reason } = command.data;
      const member = current(state, memberId);
      const extension = member.probationExtension;
      if (extension) {
        if (extension.months === months && extension.decidedOn === decidedOn) return [];
        return refuse('probation-already-extended', `the probation was already extended on ${extension.decidedOn}`);
      }
      const probationEndsOn = probationary(member, memberId);
      if (
        !Number.isInteger(months) ||
        months < PROBATION_EXTENSION_MONTHS.min ||
        months > PROBATION_EXTENSION_MONTHS.max
      )
        refuse(
          'extension-out-of-range',
          `an extension lasts ${PROBATION_EXTENSION_MONTHS.min} to ${PROBATION_EXTENSION_MONTHS.max} months`,
          'months',
        );
      notBeforeAdmission(member, decidedOn, 'decidedOn');
      notInFuture(decidedOn, context, 'decidedOn');
      return [
        {
          type: 'ProbationExtended',
          data: { memberId, months, decidedOn, reason, probationEndsOn: addMonths(probationEndsOn, months) },
        },
      ];
    }
    case 'AnnulProbation': {
      const { memberId, decidedOn } = command.data;
      const member = registered(state, memberId);
      if (
        member.status === 'left' &&
        member.left.reason === 'probation-annulled' &&
        member.left.effectiveOn === decidedOn
      )
        return [];
      probationary(current(state, memberId), memberId);
      notBeforeRegistration(member, decidedOn, 'decidedOn');
      notInFuture(decidedOn, context, 'decidedOn');
      return [{ type: 'ProbationAnnulled', data: command.data }];
    }
    case 'SuspendMember': {
      const { memberId, decidedOn } = command.data;
      const member = current(state, memberId);
      if (member.suspendedOn !== null) {
        if (member.suspendedOn === decidedOn) return [];
        return refuse('already-suspended', `member ${memberId} was suspended on ${member.suspendedOn}`);
      }
      const since = member.lostContactSince;
      if (since === null || addMonths(since, LOST_CONTACT_MONTHS_BEFORE_SUSPENSION) > decidedOn)
        refuse(
          'lost-contact-too-short',
          since === null
            ? `member ${memberId} is not out of contact`
            : `out of contact since ${since}: a suspension may be decided from ${addMonths(since, LOST_CONTACT_MONTHS_BEFORE_SUSPENSION)}`,
          'decidedOn',
        );
      notInFuture(decidedOn, context, 'decidedOn');
      return [{ type: 'MemberSuspended', data: command.data }];
    }
    case 'ReinstateMember': {
      const { memberId, decidedOn } = command.data;
      const member = current(state, memberId);
      if (member.suspendedOn === null) {
        if (member.lastReinstated === decidedOn) return [];
        return refuse('not-suspended', `member ${memberId} is not suspended`);
      }
      if (decidedOn < member.suspendedOn)
        refuse('date-before-suspension', `the member was suspended on ${member.suspendedOn}`, 'decidedOn');
      notInFuture(decidedOn, context, 'decidedOn');
      const reinstated: MemberEvent = { type: 'MemberReinstated', data: command.data };
      return member.lostContactSince === null
        ? [reinstated]
        : [reinstated, { type: 'MemberContactRestored', data: { memberId, effectiveOn: decidedOn } }];
    }
    case 'ChangeEmployment': {
      const member = current(state, command.data.memberId);
      if (member.unitId === command.data.unitId) return [];
      notBeforeRegistration(member, command.data.effectiveOn, 'effectiveOn');
      return [{ type: 'MemberEmploymentChanged', data: command.data }];
    }
    case 'InitiateTransfer': {
      const { memberId, transferId, to, effectiveOn, letterNo, validUntil, receiving, fromRegionCode, toRegionCode } =
        command.data;
      const member = current(state, memberId);
      const pending = member.pendingTransfer;
      if (pending?.transferId === transferId && sameFacts(pending.to, to) && pending.letterNo === (letterNo ?? null))
        return [];
      if (member.transfers[transferId] !== undefined)
        refuse('transfer-id-used', `transfer ${transferId} was already used`, 'transferId');
      if (pending) refuse('transfer-already-pending', `transfer ${pending.transferId} is still pending`);
      if (member.orgId === null)
        refuse('member-outside-registry', `member ${memberId} was transferred out of the registry`);
      if ('orgId' in to) {
        if (to.orgId === member.orgId)
          refuse('transfer-to-same-organization', 'the member already belongs to that organisation', 'to');
        usableOrganization(receiving, to.orgId, 'to');
      }
      notBeforeRegistration(member, effectiveOn, 'effectiveOn');
      const maximum = addDays(effectiveOn, settings.maximumDays);
      const sameProvince = fromRegionCode.slice(0, 2) === toRegionCode.slice(0, 2);
      const validity =
        validUntil ?? addDays(effectiveOn, sameProvince ? settings.withinProvinceDays : settings.acrossProvincesDays);
      if (validity < effectiveOn)
        refuse('validity-before-letter', 'validUntil is before the letter is effective', 'validUntil');
      if (validity > maximum)
        refuse(
          'validity-too-long',
          `a letter is valid for at most ${settings.maximumDays} days (until ${maximum})`,
          'validUntil',
        );
      const paid = [...member.paidMonths].sort();
      return [
        {
          type: 'TransferInitiated',
          data: {
            memberId,
            transferId,
            fromOrgId: member.orgId,
            to,
            effectiveOn,
            letterNo: letterNo ?? null,
            validUntil: validity,
            duesPaidUpTo: paid[paid.length - 1] ?? null,
          },
        },
      ];
    }
    case 'AcceptTransfer': {
      const { memberId, transferId, effectiveOn, receiving } = command.data;
      const member = registered(state, memberId);
      const status = member.transfers[transferId];
      if (status === 'accepted') return [];
      if (status === undefined) return refuse('transfer-not-found', `member ${memberId} has no transfer ${transferId}`);
      if (status !== 'pending') return refuse('transfer-not-pending', `transfer ${transferId} was ${status}`);
      const { pendingTransfer: pending, orgId: fromOrgId } = current(state, memberId);
      if (pending?.transferId !== transferId)
        return refuse('transfer-not-pending', `transfer ${transferId} is not the member's pending transfer`);
      if (fromOrgId === null) return refuse('member-outside-registry', `member ${memberId} is outside the registry`);
      if ('orgId' in pending.to) usableOrganization(receiving, pending.to.orgId, 'to');
      if (effectiveOn < pending.effectiveOn)
        refuse('date-before-letter', 'effectiveOn is before the letter', 'effectiveOn');
      return [{ type: 'TransferAccepted', data: { memberId, transferId, fromOrgId, to: pending.to, effectiveOn } }];
    }
    case 'RejectTransfer':
    case 'CancelTransfer': {
      const { memberId, transferId, reason } = command.data;
      const effectiveOn = command.data.effectiveOn ?? context.today;
      const member = registered(state, memberId);
      const ended = command.type === 'RejectTransfer' ? 'rejected' : 'cancelled';
      const status = member.transfers[transferId];
      if (status === ended) return [];
      if (status === undefined) return refuse('transfer-not-found', `member ${memberId} has no transfer ${transferId}`);
      if (status !== 'pending') return refuse('transfer-not-pending', `transfer ${transferId} was ${status}`);
      notInFuture(effectiveOn, context, 'effectiveOn');
      if (member.pendingTransfer && effectiveOn < member.pendingTransfer.effectiveOn)
        refuse('date-before-letter', 'effectiveOn is before the letter', 'effectiveOn');
      return command.type === 'RejectTransfer'
        ? [{ type: 'TransferRejected', data: { memberId, transferId, reason, effectiveOn } }]
        : [{ type: 'TransferCancelled', data: { memberId, transferId, reason, effectiveOn } }];
    }
    case 'FlowOut': {
      const { memberId, since, destinationRegionCode, hostOrgId, certificateNo, host } = command.data;
      const member = current(state, memberId);
      if (member.flowing) {
        if (member.flowing.since === since && member.flowing.destinationRegionCode === destinationRegionCode) return [];
        return refuse('already-flowing', `member ${memberId} has been flowing since ${member.flowing.since}`);
      }
      if (hostOrgId !== undefined) usableOrganization(host, hostOrgId, 'hostOrgId');
      notBeforeRegistration(member, since, 'since');
      notInFuture(since, context, 'since');
      return [
        {
          type: 'MemberFlowedOut',
          data: {
            memberId,
            since,
            destinationRegionCode,
            hostOrgId: hostOrgId ?? null,
            certificateNo: certificateNo ?? null,
          },
        },
      ];
    }
    case 'FlowReturn': {
      const member = current(state, command.data.memberId);
      if (!member.flowing) {
        if (member.lastFlowReturn === command.data.effectiveOn) return [];
        return refuse('not-flowing', `member ${command.data.memberId} is not a flowing member`);
      }
      if (command.data.effectiveOn < member.flowing.since)
        refuse('date-before-flowing', 'effectiveOn is before the member flowed out', 'effectiveOn');
      return [{ type: 'MemberFlowReturned', data: command.data }];
    }
    case 'MarkLostContact': {
      const member = current(state, command.data.memberId);
      if (member.lostContactSince !== null) {
        if (member.lostContactSince === command.data.since) return [];
        return refuse(
          'already-lost-contact',
          `member ${command.data.memberId} is out of contact since ${member.lostContactSince}`,
        );
      }
      notBeforeRegistration(member, command.data.since, 'since');
      notInFuture(command.data.since, context, 'since');
      return [{ type: 'MemberLostContact', data: command.data }];
    }
    case 'RestoreContact': {
      const member = current(state, command.data.memberId);
      if (member.lostContactSince === null) {
        if (member.lastContactRestored === command.data.effectiveOn) return [];
        return refuse('not-lost-contact', `member ${command.data.memberId} is not out of contact`);
      }
      if (command.data.effectiveOn < member.lostContactSince)
        refuse('date-before-lost-contact', 'effectiveOn is before contact was lost', 'effectiveOn');
      return [{ type: 'MemberContactRestored', data: command.data }];
    }
    case 'AssessDues': {
      const { memberId, from, category, monthlyIncomeFen } = command.data;
      const member = current(state, memberId);
      const key = assessmentKey(from, category, monthlyIncomeFen ?? null);
      if (member.assessments.some((a) => a.key === key)) return [];
      if ((category === 'employed' || category === 'retired') && monthlyIncomeFen === undefined) {
        refuse('income-required', `dues of a ${category} member are a share of the monthly income`, 'monthlyIncomeFen');
      }
      const dues = monthlyDuesFen(category, monthlyIncomeFen, context.rules?.duesRates);
      return [
        {
          type: 'DuesAssessed',
          data: { memberId, from, category, monthlyIncomeFen: monthlyIncomeFen ?? null, monthlyDuesFen: dues },
        },
      ];
    }
    case 'PayDues': {
      const { memberId, months, amountFen, paidOn, channel } = command.data;
      const member = current(state, memberId);
      if (member.payments.includes(paymentKey(months, amountFen, paidOn))) return [];
      if (new Set(months).size !== months.length) refuse('month-listed-twice', 'a month is listed twice', 'months');
      const already = months.filter((month) => member.paidMonths.includes(month));
      if (already.length > 0) refuse('month-already-paid', `already paid: ${already.join(', ')}`, 'months');
      const due = duesFor(member, months);
      if (amountFen !== due) refuse('amount-mismatch', `the dues for these months are ${due} fen`, 'amountFen');
      notInFuture(paidOn, context, 'paidOn');
      return [{ type: 'DuesPaid', data: { memberId, months: [...months].sort(), amountFen, paidOn, channel } }];
    }
    case 'RecordLeaving': {
      const member = registered(state, command.data.memberId);
      if (member.status === 'left') {
        if (member.left.reason === command.data.reason && member.left.effectiveOn === command.data.effectiveOn)
          return [];
        return refuse('member-left', `member ${command.data.memberId} left on ${member.left.effectiveOn}`);
      }
      notBeforeRegistration(member, command.data.effectiveOn, 'effectiveOn');
      notInFuture(command.data.effectiveOn, context, 'effectiveOn');
      return [{ type: 'MemberLeft', data: command.data }];
    }
    case 'RecordAppraisal': {
      const { memberId, year, grade, decidedOn } = command.data;
      const member = current(state, memberId);
      const recorded = member.appraisals[String(year)];
      if (recorded === grade) return [];
      if (recorded !== undefined)
        refuse('appraisal-already-recorded', `member ${memberId} was graded ${recorded} for ${year}`, 'year');
      if (year < Number(member.registration.joinedOn.slice(0, 4)))
        refuse(
          'appraisal-before-admission',
          `member ${memberId} was admitted in ${member.registration.joinedOn.slice(0, 4)}`,
          'year',
        );
      if (Number(decidedOn.slice(0, 4)) < year)
        refuse('appraisal-before-year', `a ${year} appraisal is decided in ${year} or later`, 'decidedOn');
      notInFuture(decidedOn, context, 'decidedOn');
      return [{ type: 'MemberAppraised', data: command.data }];
    }
    case 'RecordPoints': {
      const { memberId, ...entry } = command.data;
      const member = current(state, memberId);
      if (member.pointsEntries.some((earlier) => sameFacts(earlier, entry))) return [];
      if (Number(entry.recordedOn.slice(0, 4)) < entry.year)
        refuse('points-before-year', `points for ${entry.year} are recorded in ${entry.year} or later`, 'recordedOn');
      if (entry.year < Number(member.registration.joinedOn.slice(0, 4)))
        refuse(
          'points-before-admission',
          `member ${memberId} was admitted in ${member.registration.joinedOn.slice(0, 4)}`,
          'year',
        );
      notInFuture(entry.recordedOn, context, 'recordedOn');
      return [{ type: 'PointsRecorded', data: command.data }];
    }
    case 'ForgetPersonalData': {
      const member = registered(state, command.data.memberId);
      if (member.personalDataForgotten) return [];
      return [{ type: 'PersonalDataForgotten', data: { memberId: command.data.memberId } }];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const memberDecider: Decider<MemberCommand, MemberEvent, MemberState> = {
  decide: decideMember,
  evolve: evolveMember,
  initialState: initialMemberState,
};
