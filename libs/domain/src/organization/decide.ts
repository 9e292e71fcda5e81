import { addYears } from '../calendar';
import { type CommandContext, type Decider, notInFuture, refuse, sameFacts } from '../decider';
import {
  BRANCH_COMMITTEE_FULL_MEMBERS,
  BRANCH_COMMITTEE_SIZE,
  type CommitteeSeat,
  meetingKeyOf,
  DEFAULT_TERM_YEARS,
  type OrganizationCommand,
  type OrganizationEvent,
  type OrganizationLookup,
  type OrganizationState,
  POSTPONEMENT_MAX_YEARS,
} from './organization';
import { evolveOrganization, initialOrganizationState } from './state';

/** Advice that does not refuse the command: shown to the registrar with the response. */
export function establishmentWarnings(unitCount: number, form: string, advisedMaximum: number): string[] {
  return form === 'joint' && unitCount > advisedMaximum
    ? [`a joint branch generally covers at most ${advisedMaximum} units; this one covers ${unitCount}`]
    : [];
}

type Active = Extract<OrganizationState, { status: 'active' | 'dissolved' }>;

function existing(state: OrganizationState, organizationId: string): Active {
  if (state.status === 'none') return refuse('organization-not-found', `organisation ${organizationId} does not exist`);
  return state;
}

function active(state: OrganizationState, organizationId: string): Active {
  const found = existing(state, organizationId);
  if (found.status === 'dissolved') {
    return refuse('organization-dissolved', `organisation ${organizationId} was dissolved on ${found.dissolvedOn}`);
  }
  return found;
}

function onOrAfterEstablishment(state: Active, date: string, field: string): void {
  if (date < state.establishment.establishedOn) {
    refuse(
      'date-before-establishment',
      `${field} is before the organisation was established (${state.establishment.establishedOn})`,
      field,
    );
  }
}

function usableParent(parent: OrganizationLookup | undefined, parentId: string): void {
  if (parent === 'missing' || parent === undefined)
    refuse('parent-not-found', `parent organisation ${parentId} does not exist`, 'parentId');
  if (parent === 'dissolved') refuse('parent-dissolved', `parent organisation ${parentId} is dissolved`, 'parentId');
}

export function decideOrganization(
  command: OrganizationCommand,
  state: OrganizationState,
  context: CommandContext,
): readonly OrganizationEvent[] {
  switch (command.type) {
    case 'EstablishOrganization': {
      const { parent, ...establishment } = command.data;
      if (state.status !== 'none') {
        if (sameFacts(state.establishment, establishment)) return [];
        return refuse(
          'organization-already-established',
          `organisation ${establishment.organizationId} already exists`,
        );
      }
      if (establishment.parentId !== undefined) usableParent(parent, establishment.parentId);
      if (new Set(establishment.unitIds).size !== establishment.unitIds.length) {
        refuse('duplicate-unit', 'a unit appears twice in unitIds', 'unitIds');
      }
      if (establishment.form === 'joint' && establishment.unitIds.length < 2) {
        refuse('joint-needs-two-units', 'a joint organisation covers two or more units', 'unitIds');
      }
      if (establishment.form === 'single' && establishment.unitIds.length > 1) {
        refuse(
          'single-covers-one-unit',
          'an organisation of its own unit (single) covers exactly that unit',
          'unitIds',
        );
      }
      notInFuture(establishment.establishedOn, context, 'establishedOn');
      const type = establishment.form === 'joint' ? 'JointBranchFormed' : 'OrganizationEstablished';
      return [{ type, data: establishment }];
    }
    case 'AddUnit': {
      const organization = active(state, command.data.organizationId);
      if (organization.unitIds.includes(command.data.unitId)) return [];
      if (organization.establishment.form === 'single' && organization.unitIds.length > 0) {
        refuse('single-covers-one-unit', 'an organisation of its own unit (single) covers exactly that unit', 'unitId');
      }
      onOrAfterEstablishment(organization, command.data.effectiveOn, 'effectiveOn');
      return [{ type: 'UnitJoinedOrganization', data: command.data }];
    }
    case 'RemoveUnit': {
      const organization = active(state, command.data.organizationId);
      if (!organization.unitIds.includes(command.data.unitId)) {
        if (organization.formerUnitIds.includes(command.data.unitId)) return [];
        return refuse('unit-not-covered', `unit ${command.data.unitId} is not covered by this organisation`, 'unitId');
      }
      onOrAfterEstablishment(organization, command.data.effectiveOn, 'effectiveOn');
      return [{ type: 'UnitLeftOrganization', data: command.data }];
    }
    case 'ReparentOrganization': {
      const { organizationId, parentId, effectiveOn, parent, parentAncestorIds } = command.data;
      const organization = active(state, organizationId);
      if (organization.parentId === parentId) return [];
      if (parentId === organizationId || parentAncestorIds.includes(organizationId)) {
        refuse(
          'reparent-cycle',
          `moving ${organizationId} under ${parentId} would put it inside its own subtree`,
          'parentId',
        );
      }
      usableParent(parent, parentId);
      onOrAfterEstablishment(organization, effectiveOn, 'effectiveOn');
      return [
        {
          type: 'OrganizationReparented',
          data: { organizationId, fromParentId: organization.parentId, toParentId: parentId, effectiveOn },
        },
      ];
    }
    case 'RenameOrganization': {
      const organization = active(state, command.data.organizationId);
      if (organization.name === command.data.name) return [];
      onOrAfterEstablishment(organization, command.data.effectiveOn, 'effectiveOn');
      return [
        {
          type: 'OrganizationRenamed',
          data: {
            organizationId: command.data.organizationId,
            from: organization.name,
            to: command.data.name,
            effectiveOn: command.data.effectiveOn,
          },
        },
      ];
    }
    case 'AppointSecretary': {
      const { organizationId, memberId, effectiveOn, memberOrganizationId, memberStanding } = command.data;
      const organization = active(state, organizationId);
      if (organization.secretaryId === memberId) return [];
      if (memberOrganizationId !== organizationId) {
        refuse('secretary-not-a-member', `member ${memberId} does not belong to this organisation`, 'memberId');
      }
      if (memberStanding !== 'full') {
        refuse(
          'secretary-must-be-full-member',
          `member ${memberId} is on probation: a secretary is a full member`,
          'memberId',
        );
      }
      onOrAfterEstablishment(organization, effectiveOn, 'effectiveOn');
      return [{ type: 'SecretaryAppointed', data: { organizationId, memberId, effectiveOn } }];
    }
    case 'ElectCommittee': {
      const { organizationId, electedOn, members, holders, fullMembers } = command.data;
      const organization = active(state, organizationId);
      const termYears = command.data.termYears ?? DEFAULT_TERM_YEARS[organization.establishment.level];
      const committee = { electedOn, termYears, termEndsOn: addYears(electedOn, termYears), members };
      if (organization.committee && sameFacts(organization.committee, committee)) return [];
      if (organization.committee && electedOn <= organization.committee.electedOn)
        refuse(
          'election-not-after-previous',
          `the last committee was elected on ${organization.committee.electedOn}`,
          'electedOn',
        );
      if (members.filter((seat) => seat.role === 'secretary').length !== 1)
        refuse('committee-needs-one-secretary', 'a committee has exactly one secretary', 'members');
      if (new Set(members.map((seat) => seat.memberId)).size !== members.length)
        refuse('committee-member-twice', 'a member holds one seat', 'members');
      holders.forEach((standing, i) => {
        if (standing !== 'eligible')
          refuse(
            'committee-member-not-eligible',
            `${members[i]?.memberId} is ${standing === 'probationary' ? 'on probation' : standing === 'elsewhere' ? 'a member of another organisation' : 'not a current member'} on ${electedOn}: every holder is a full member of this organisation`,
            `members[${i}].memberId`,
          );
      });
      if (organization.establishment.level === 'branch') committeeSizeFits(members, fullMembers);
      onOrAfterEstablishment(organization, electedOn, 'electedOn');
      notInFuture(electedOn, context, 'electedOn');
      return [{ type: 'CommitteeElected', data: { organizationId, ...committee } }];
    }
    case 'PostponeElection': {
      const { organizationId, until, approvedOn } = command.data;
      const organization = active(state, organizationId);
      if (organization.postponedUntil === until) return [];
      const committee = organization.committee;
      if (!committee)
        return refuse('committee-not-elected', 'no committee has been elected: there is no term to extend');
      const latest = addYears(committee.termEndsOn, POSTPONEMENT_MAX_YEARS);
      if (until > latest)
        refuse(
          'postponement-too-long',
          `an election may be put off to ${latest} at the latest (1 year after the term's end)`,
          'until',
        );
      if (until <= committee.termEndsOn)
        refuse('postponement-within-term', `the term runs until ${committee.termEndsOn}`, 'until');
      notInFuture(approvedOn, context, 'approvedOn');
      return [{ type: 'ElectionPostponed', data: command.data }];
    }
    case 'RecordMeeting': {
      const { organizationId, attending, absent, ...meeting } = command.data;
      const organization = active(state, organizationId);
      const earlier = organization.meetings[meetingKeyOf(meeting)];
      if (earlier) {
        if (sameFacts(earlier, meeting)) return [];
        return refuse('meeting-already-recorded', `a ${meeting.kind} on ${meeting.heldOn} on this topic is recorded`);
      }
      onOrAfterEstablishment(organization, meeting.heldOn, 'heldOn');
      notInFuture(meeting.heldOn, context, 'heldOn');
      attending.forEach((belongs, i) => {
        if (!belongs)
          refuse(
            'attendee-not-in-organization',
            `${meeting.attendeeIds[i]} was neither a member of this organisation nor hosted by it on ${meeting.heldOn}`,
            `attendeeIds[${i}]`,
          );
      });
      absent.forEach((belongs, i) => {
        if (!belongs)
          refuse(
            'attendee-not-in-organization',
            `${meeting.absences[i]?.memberId} was not a member of this organisation on ${meeting.heldOn}`,
            `absences[${i}].memberId`,
          );
      });
      return [{ type: 'MeetingHeld', data: { organizationId, ...meeting } }];
    }
    case 'RecordRating': {
      const { organizationId, year, stars, ratedOn } = command.data;
      const organization = active(state, organizationId);
      const recorded = organization.ratings[String(year)];
      if (recorded === stars) return [];
      if (recorded !== undefined)
        refuse(
          'rating-already-recorded',
          `organisation ${organizationId} was rated ${recorded} stars for ${year}`,
          'year',
        );
      if (Number(ratedOn.slice(0, 4)) < year)
        refuse('rating-before-year', `a ${year} rating is decided in ${year} or later`, 'ratedOn');
      onOrAfterEstablishment(organization, ratedOn, 'ratedOn');
      notInFuture(ratedOn, context, 'ratedOn');
      return [{ type: 'OrganizationRated', data: command.data }];
    }
    case 'DissolveOrganization': {
      const { organizationId, effectiveOn, reason, memberCount, childCount } = command.data;
      const organization = existing(state, organizationId);
      if (organization.status === 'dissolved') {
        if (organization.dissolvedOn === effectiveOn) return [];
        return refuse(
          'organization-dissolved',
          `organisation ${organizationId} was dissolved on ${organization.dissolvedOn}`,
        );
      }
      if (memberCount > 0 || childCount > 0) {
        refuse(
          'organization-not-empty',
          `organisation ${organizationId} still has ${memberCount} members and ${childCount} child organisations`,
        );
      }
      onOrAfterEstablishment(organization, effectiveOn, 'effectiveOn');
      return [{ type: 'OrganizationDissolved', data: { organizationId, effectiveOn, reason } }];
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}

export const organizationDecider: Decider<OrganizationCommand, OrganizationEvent, OrganizationState> = {
  decide: decideOrganization,
  evolve: evolveOrganization,
  initialState: initialOrganizationState,
};

/** 支部工作条例 art. 10: 7+ full members elect 3–7; fewer elect a secretary and at most one deputy. */
function committeeSizeFits(members: readonly CommitteeSeat[], fullMembers: number): void {
  const { min, max } = BRANCH_COMMITTEE_SIZE;
  if (fullMembers >= BRANCH_COMMITTEE_FULL_MEMBERS) {
    if (members.length < min || members.length > max)
      refuse(
        'committee-size',
        `a branch of ${fullMembers} full members elects ${min} to ${max}, not ${members.length}`,
        'members',
      );
    return;
  }
  const small = members.every((seat) => seat.role !== 'member') && members.length <= 2;
  if (!small)
    refuse(
      'committee-size',
      `a branch of ${fullMembers} full members (under ${BRANCH_COMMITTEE_FULL_MEMBERS}) elects a secretary and at most one deputy`,
      'members',
    );
}
