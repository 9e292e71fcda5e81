import {
  establishmentWarnings,
  fold,
  organizationDecider,
  type Establishment,
  type OrganizationEvent,
} from '@registry/domain';
import { DeciderSpecification } from '../../test/decider-specification';

const spec = DeciderSpecification.for(organizationDecider);
// 中智上海公司党委 → 徐汇区党总支 → 企业党支部 (DOMAIN.md, figures from the seeds)
const shanghaiCommittee = '0190a6a2-0000-7000-8000-000000000001';
const xuhui = '0190a6a2-0000-7000-8000-000000000002';
const changning = '0190a6a2-0000-7000-8000-000000000003';
const units = [
  '0190a6a2-0000-7000-8000-0000000000a1',
  '0190a6a2-0000-7000-8000-0000000000a2',
  '0190a6a2-0000-7000-8000-0000000000a3',
];

const xuhuiGeneralBranch: Establishment = {
  organizationId: xuhui,
  name: '中智上海公司徐汇区党总支',
  level: 'general-branch',
  form: 'regional',
  parentId: shanghaiCommittee,
  regionCode: '310104',
  unitIds: [],
  establishedOn: '2015-07-01',
};
const jointBranch: Establishment = {
  organizationId: '0190a6a2-0000-7000-8000-000000000004',
  name: '徐汇区某楼宇小微企业联合党支部',
  level: 'branch',
  form: 'joint',
  parentId: xuhui,
  regionCode: '310104',
  unitIds: units.slice(0, 2),
  establishedOn: '2018-03-01',
};
const established: OrganizationEvent = { type: 'OrganizationEstablished', data: xuhuiGeneralBranch };
const formed: OrganizationEvent = { type: 'JointBranchFormed', data: jointBranch };
const jointId = jointBranch.organizationId;

describe('EstablishOrganization', () => {
  it('establishes a district general branch under the company committee', () =>
    spec
      .given([])
      .when({ type: 'EstablishOrganization', data: { ...xuhuiGeneralBranch, parent: 'active' } })
      .then([established]));
  it('forms a joint branch of small firms', () =>
    spec
      .given([])
      .when({ type: 'EstablishOrganization', data: { ...jointBranch, parent: 'active' } })
      .then([formed]));
  it('refuses a joint branch of one unit', () =>
    spec
      .given([])
      .when({ type: 'EstablishOrganization', data: { ...jointBranch, unitIds: [units[0]!], parent: 'active' } })
      .thenThrows('joint-needs-two-units', 'unitIds'));
  it('refuses a parent that does not exist or is dissolved', () => {
    spec
      .given([])
      .when({ type: 'EstablishOrganization', data: { ...xuhuiGeneralBranch, parent: 'missing' } })
      .thenThrows('parent-not-found', 'parentId');
    spec
      .given([])
      .when({ type: 'EstablishOrganization', data: { ...xuhuiGeneralBranch, parent: 'dissolved' } })
      .thenThrows('parent-dissolved', 'parentId');
  });
  it('does nothing when the same establishment is retried, in any key order', () =>
    spec
      .given([established])
      .when({
        type: 'EstablishOrganization',
        data: { parent: 'active', ...Object.fromEntries(Object.entries(xuhuiGeneralBranch).reverse()) } as never,
      })
      .thenNothingHappened());
  it('refuses a different establishment under the same id', () =>
    spec
      .given([established])
      .when({ type: 'EstablishOrganization', data: { ...xuhuiGeneralBranch, name: '另一个党总支', parent: 'active' } })
      .thenThrows('organization-already-established'));
  it('warns, without refusing, above five units in a joint branch', () => {
    expect(establishmentWarnings(6, 'joint', 5)).toEqual([
      'a joint branch generally covers at most 5 units; this one covers 6',
    ]);
    expect(establishmentWarnings(5, 'joint', 5)).toEqual([]);
    expect(establishmentWarnings(9, 'building', 5)).toEqual([]);
  });
});

describe('AddUnit and RemoveUnit', () => {
  const join = {
    type: 'AddUnit' as const,
    data: { organizationId: jointId, unitId: units[2]!, effectiveOn: '2020-01-01' },
  };
  const joined: OrganizationEvent = { type: 'UnitJoinedOrganization', data: join.data };
  const leave = {
    type: 'RemoveUnit' as const,
    data: { organizationId: jointId, unitId: units[0]!, effectiveOn: '2021-06-30' },
  };
  const left: OrganizationEvent = { type: 'UnitLeftOrganization', data: leave.data };

  it('lets a unit join a joint branch', () => spec.given([formed]).when(join).then([joined]));
  it('refuses a join dated before the branch existed', () =>
    spec
      .given([formed])
      .when({ ...join, data: { ...join.data, effectiveOn: '2017-01-01' } })
      .thenThrows('date-before-establishment', 'effectiveOn'));
  it('does nothing when the unit is already covered', () =>
    spec.given([formed, joined]).when(join).thenNothingHappened());

  it('lets a unit leave', () => spec.given([formed]).when(leave).then([left]));
  it('refuses to remove a unit that was never covered', () =>
    spec
      .given([formed])
      .when({ ...leave, data: { ...leave.data, unitId: units[2]! } })
      .thenThrows('unit-not-covered', 'unitId'));
  it('does nothing when the unit has already left', () => spec.given([formed, left]).when(leave).thenNothingHappened());
});

describe('ReparentOrganization', () => {
  const move = {
    type: 'ReparentOrganization' as const,
    data: {
      organizationId: jointId,
      parentId: changning,
      effectiveOn: '2022-01-01',
      parent: 'active' as const,
      parentAncestorIds: [shanghaiCommittee],
    },
  };
  it('moves the subtree under another general branch', () =>
    spec
      .given([formed])
      .when(move)
      .then([
        {
          type: 'OrganizationReparented',
          data: { organizationId: jointId, fromParentId: xuhui, toParentId: changning, effectiveOn: '2022-01-01' },
        },
      ]));
  it('refuses a move into its own subtree', () =>
    spec
      .given([established])
      .when({
        ...move,
        data: { ...move.data, organizationId: xuhui, parentId: jointId, parentAncestorIds: [xuhui, shanghaiCommittee] },
      })
      .thenThrows('reparent-cycle', 'parentId'));
  it('does nothing when the parent is already that one', () =>
    spec
      .given([formed])
      .when({ ...move, data: { ...move.data, parentId: xuhui } })
      .thenNothingHappened());
});

describe('RenameOrganization', () => {
  const rename = {
    type: 'RenameOrganization' as const,
    data: { organizationId: xuhui, name: '中智上海徐汇区党总支', effectiveOn: '2020-01-01' },
  };
  it('renames', () =>
    spec
      .given([established])
      .when(rename)
      .then([
        {
          type: 'OrganizationRenamed',
          data: {
            organizationId: xuhui,
            from: xuhuiGeneralBranch.name,
            to: rename.data.name,
            effectiveOn: '2020-01-01',
          },
        },
      ]));
  it('refuses an unknown organisation', () => spec.given([]).when(rename).thenThrows('organization-not-found'));
  it('does nothing when the name is unchanged', () =>
    spec
      .given([established])
      .when({ ...rename, data: { ...rename.data, name: xuhuiGeneralBranch.name } })
      .thenNothingHappened());
});

describe('AppointSecretary', () => {
  const memberId = '0190a6a2-0000-7000-8000-0000000000f1';
  const appoint = {
    type: 'AppointSecretary' as const,
    data: {
      organizationId: xuhui,
      memberId,
      effectiveOn: '2021-01-01',
      memberOrganizationId: xuhui,
      memberStanding: 'full' as 'full' | 'probationary',
    },
  };
  const appointed: OrganizationEvent = {
    type: 'SecretaryAppointed',
    data: { organizationId: xuhui, memberId, effectiveOn: '2021-01-01' },
  };
  it('appoints a member of the organisation', () => spec.given([established]).when(appoint).then([appointed]));
  it('refuses a member of another organisation', () =>
    spec
      .given([established])
      .when({ ...appoint, data: { ...appoint.data, memberOrganizationId: changning } })
      .thenThrows('secretary-not-a-member', 'memberId'));
  it('refuses a probationary member', () =>
    spec
      .given([established])
      .when({ ...appoint, data: { ...appoint.data, memberStanding: 'probationary' } })
      .thenThrows('secretary-must-be-full-member', 'memberId'));
  it('does nothing when that member is already secretary', () =>
    spec.given([established, appointed]).when(appoint).thenNothingHappened());
});

describe('DissolveOrganization', () => {
  const dissolve = {
    type: 'DissolveOrganization' as const,
    data: {
      organizationId: jointId,
      effectiveOn: '2023-12-31',
      reason: '所在楼宇企业迁出',
      memberCount: 0,
      childCount: 0,
    },
  };
  const dissolved: OrganizationEvent = {
    type: 'OrganizationDissolved',
    data: { organizationId: jointId, effectiveOn: '2023-12-31', reason: '所在楼宇企业迁出' },
  };
  it('dissolves an empty organisation', () => spec.given([formed]).when(dissolve).then([dissolved]));
  it('refuses while members or child organisations remain', () => {
    spec
      .given([formed])
      .when({ ...dissolve, data: { ...dissolve.data, memberCount: 3 } })
      .thenThrows('organization-not-empty');
    spec
      .given([formed])
      .when({ ...dissolve, data: { ...dissolve.data, childCount: 1 } })
      .thenThrows('organization-not-empty');
  });
  it('does nothing when the same dissolution is retried', () =>
    spec.given([formed, dissolved]).when(dissolve).thenNothingHappened());
  it('refuses every other command once dissolved', () =>
    spec
      .given([formed, dissolved])
      .when({ type: 'AddUnit', data: { organizationId: jointId, unitId: units[2]!, effectiveOn: '2024-01-01' } })
      .thenThrows('organization-dissolved'));
});

describe('ElectCommittee (换届)', () => {
  const branch = jointBranch.organizationId;
  const seat = (n: number, role: 'secretary' | 'deputy-secretary' | 'member') => ({
    memberId: `0190a6a2-0000-7000-8000-0000000001${String(n).padStart(2, '0')}`,
    role,
  });
  const five = [
    seat(1, 'secretary'),
    seat(2, 'deputy-secretary'),
    seat(3, 'member'),
    seat(4, 'member'),
    seat(5, 'member'),
  ];
  const elect = {
    type: 'ElectCommittee' as const,
    data: {
      organizationId: branch,
      electedOn: '2023-03-01',
      members: five,
      holders: five.map(() => 'eligible' as const),
      fullMembers: 12,
    },
  };
  const elected: OrganizationEvent = {
    type: 'CommitteeElected',
    data: { organizationId: branch, electedOn: '2023-03-01', termYears: 3, termEndsOn: '2026-03-01', members: five },
  };

  it('elects a committee for a branch’s 3-year term', () => spec.given([formed]).when(elect).then([elected]));
  it('takes a committee’s 5-year term by default', () =>
    spec
      .given([
        {
          type: 'OrganizationEstablished',
          data: { ...xuhuiGeneralBranch, organizationId: shanghaiCommittee, level: 'committee', parentId: undefined },
        },
      ])
      .when({ ...elect, data: { ...elect.data, organizationId: shanghaiCommittee } })
      .then([
        {
          ...elected,
          data: { ...elected.data, organizationId: shanghaiCommittee, termYears: 5, termEndsOn: '2028-03-01' },
        },
      ]));
  it('does nothing when the same election is recorded again', () =>
    spec.given([formed, elected]).when(elect).thenNothingHappened());
  it('refuses a holder who is not a full member of the organisation, naming the seat', () =>
    spec
      .given([formed])
      .when({
        ...elect,
        data: { ...elect.data, holders: ['eligible', 'eligible', 'probationary', 'eligible', 'eligible'] },
      })
      .thenThrows('committee-member-not-eligible', 'members[2].memberId'));
  it('refuses a committee with no secretary or two', () =>
    spec
      .given([formed])
      .when({
        ...elect,
        data: { ...elect.data, members: [seat(1, 'secretary'), seat(2, 'secretary'), ...five.slice(2)] },
      })
      .thenThrows('committee-needs-one-secretary', 'members'));
  it('refuses a committee of 2 in a branch of 7 or more full members', () =>
    spec
      .given([formed])
      .when({ ...elect, data: { ...elect.data, members: five.slice(0, 2), holders: ['eligible', 'eligible'] } })
      .thenThrows('committee-size', 'members'));
  it('lets a branch under 7 full members elect a secretary and a deputy, no more', () => {
    const small = {
      ...elect,
      data: { ...elect.data, members: five.slice(0, 2), holders: ['eligible', 'eligible'] as const, fullMembers: 5 },
    };
    spec
      .given([formed])
      .when(small)
      .then([{ ...elected, data: { ...elected.data, members: five.slice(0, 2) } }]);
    spec
      .given([formed])
      .when({ ...elect, data: { ...elect.data, fullMembers: 5 } })
      .thenThrows('committee-size', 'members');
  });
  it('refuses an election dated after today', () =>
    spec
      .given([formed])
      .when({ ...elect, data: { ...elect.data, electedOn: '2024-07-01' } })
      .thenThrows('date-in-future', 'electedOn'));
  it('makes the secretary the committee’s', () => {
    const state = fold(organizationDecider, [formed, elected]);
    expect(state.status === 'active' && state.secretaryId).toBe(five[0]?.memberId);
  });
});

describe('PostponeElection', () => {
  const branch = jointBranch.organizationId;
  const elected: OrganizationEvent = {
    type: 'CommitteeElected',
    data: {
      organizationId: branch,
      electedOn: '2021-03-01',
      termYears: 3,
      termEndsOn: '2024-03-01',
      members: [{ memberId: '0190a6a2-0000-7000-8000-000000000101', role: 'secretary' }],
    },
  };
  const postpone = {
    type: 'PostponeElection' as const,
    data: { organizationId: branch, until: '2024-09-01', approvedOn: '2024-02-01', reason: '企业重组' },
  };
  it('puts the election off with approval', () =>
    spec
      .given([formed, elected])
      .when(postpone)
      .then([{ type: 'ElectionPostponed', data: postpone.data }]));
  it('refuses more than a year after the term’s end', () =>
    spec
      .given([formed, elected])
      .when({ ...postpone, data: { ...postpone.data, until: '2025-03-02' } })
      .thenThrows('postponement-too-long', 'until'));
  it('refuses without a committee', () => spec.given([formed]).when(postpone).thenThrows('committee-not-elected'));
  it('does nothing on a retry', () =>
    spec
      .given([formed, elected, { type: 'ElectionPostponed', data: postpone.data }])
      .when(postpone)
      .thenNothingHappened());
});

describe('RecordRating (星级创建)', () => {
  const rate = {
    type: 'RecordRating' as const,
    data: { organizationId: xuhui, year: 2023, stars: 4, ratedOn: '2024-01-15' },
  };
  const rated: OrganizationEvent = { type: 'OrganizationRated', data: rate.data };
  it('records the stars for a year', () => spec.given([established]).when(rate).then([rated]));
  it('refuses a second, different rating for the year', () =>
    spec
      .given([established, rated])
      .when({ ...rate, data: { ...rate.data, stars: 5 } })
      .thenThrows('rating-already-recorded', 'year'));
  it('refuses a rating decided before its year', () =>
    spec
      .given([established])
      .when({ ...rate, data: { ...rate.data, ratedOn: '2022-12-31' } })
      .thenThrows('rating-before-year', 'ratedOn'));
  it('does nothing on a retry', () => spec.given([established, rated]).when(rate).thenNothingHappened());
});

describe('RecordMeeting (三会一课)', () => {
  const [a, b] = ['0190a6a2-0000-7000-8000-000000000201', '0190a6a2-0000-7000-8000-000000000202'];
  const meeting = {
    kind: 'theme-day' as const,
    heldOn: '2024-05-10',
    topic: '学习党章',
    attendeeIds: [a],
    absences: [{ memberId: b, reason: '出差' }],
  };
  const record = {
    type: 'RecordMeeting' as const,
    data: { organizationId: xuhui, ...meeting, attending: [true], absent: [true] },
  };
  const held: OrganizationEvent = { type: 'MeetingHeld', data: { organizationId: xuhui, ...meeting } };
  it('records the meeting with attendance', () => spec.given([established]).when(record).then([held]));
  it('refuses an attendee who neither belongs to the organisation nor is hosted by it', () =>
    spec
      .given([established])
      .when({ ...record, data: { ...record.data, attending: [false] } })
      .thenThrows('attendee-not-in-organization', 'attendeeIds[0]'));
  it('refuses an excused member who does not belong', () =>
    spec
      .given([established])
      .when({ ...record, data: { ...record.data, absent: [false] } })
      .thenThrows('attendee-not-in-organization', 'absences[0].memberId'));
  it('does nothing on a retry', () => spec.given([established, held]).when(record).thenNothingHappened());
  it('refuses another attendance for the same meeting', () =>
    spec
      .given([established, held])
      .when({ ...record, data: { ...record.data, attendeeIds: [b], absences: [] } })
      .thenThrows('meeting-already-recorded'));
});
