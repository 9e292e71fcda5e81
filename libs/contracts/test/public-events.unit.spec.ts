import Ajv2020 from 'ajv/dist/2020';
import {
  NotPublishable,
  PUBLIC_EVENT_NAMES,
  publicEventSchema,
  schemaIndex,
  schemaOfType,
  toPublicEvent,
} from '@registry/contracts';
import type {
  ApplicantEvent,
  GridEvent,
  InflowEvent,
  MemberEvent,
  OrganizationEvent,
  UnitEvent,
} from '@registry/domain';

type DomainEvent = MemberEvent | OrganizationEvent | UnitEvent | InflowEvent | ApplicantEvent | GridEvent;
type Sample<E extends DomainEvent> = E extends DomainEvent ? { [T in E['type']]: E['data'] } : never;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

const memberId = '0190a6a2-7c1e-7a3b-9c2d-1e2f3a4b5c6d';
const orgId = '0190a6a2-7c1e-7a3b-9c2d-000000000001';
const unitId = '0190a6a2-7c1e-7a3b-9c2d-000000000002';
const applicantId = '0190a6a2-7c1e-7a3b-9c2d-00000000a001';
const gridId = '0190a6a2-7c1e-7a3b-9c2d-00000000b001';
const sealed = { keyId: 'k1', ciphertext: 'c2VjcmV0IG5hbWUgYW5kIElEIG51bWJlcg==' };

/** One sample of every domain event, typed by the domain: a new event type fails to compile here until it has one. */
const samples: UnionToIntersection<Sample<DomainEvent>> = {
  UnitRegistered: {
    unitId,
    name: '思科（中国）研发中心',
    creditCode: '91310000MA1FL0XX2C',
    kind: 'enterprise',
    regionCode: '310115',
    industry: 'software',
    registeredOn: '2020-01-01',
  },
  InstructorAssigned: { unitId, name: '张三', effectiveOn: '2021-03-01' },
  InstructorWithdrawn: { unitId, effectiveOn: '2023-06-01' },
  UnitClosed: { unitId, effectiveOn: '2024-01-01' },
  OrganizationEstablished: {
    organizationId: orgId,
    name: '党支部',
    level: 'branch',
    form: 'single',
    parentId: unitId,
    regionCode: '310115',
    unitIds: [unitId],
    establishedOn: '2020-02-01',
  },
  JointBranchFormed: {
    organizationId: orgId,
    name: '联合党支部',
    level: 'branch',
    form: 'joint',
    regionCode: '310101',
    unitIds: [],
    establishedOn: '2020-02-01',
  },
  UnitJoinedOrganization: { organizationId: orgId, unitId, effectiveOn: '2020-03-01' },
  UnitLeftOrganization: { organizationId: orgId, unitId, effectiveOn: '2020-04-01' },
  OrganizationReparented: { organizationId: orgId, fromParentId: null, toParentId: unitId, effectiveOn: '2020-05-01' },
  OrganizationRenamed: { organizationId: orgId, from: 'a', to: 'b', effectiveOn: '2020-05-01' },
  SecretaryAppointed: { organizationId: orgId, memberId, effectiveOn: '2020-05-01' },
  OrganizationDissolved: { organizationId: orgId, effectiveOn: '2025-01-01', reason: 'unit closed' },
  CommitteeElected: {
    organizationId: orgId,
    electedOn: '2023-03-01',
    termYears: 3,
    termEndsOn: '2026-03-01',
    members: [{ memberId, role: 'secretary' }],
  },
  ElectionPostponed: { organizationId: orgId, until: '2026-09-01', approvedOn: '2026-02-01', reason: '企业重组' },
  OrganizationRated: { organizationId: orgId, year: 2024, stars: 4, ratedOn: '2025-01-15' },
  GridEstablished: {
    gridId,
    name: '龙文区电子信息产业网格',
    regionCode: '350603',
    leadOrgId: orgId,
    unitIds: [unitId],
    establishedOn: '2025-03-01',
  },
  GridUnitJoined: { gridId, unitId, effectiveOn: '2025-04-01' },
  GridUnitLeft: { gridId, unitId, effectiveOn: '2025-09-01' },
  MeetingHeld: {
    organizationId: orgId,
    kind: 'theme-day',
    heldOn: '2024-07-01',
    topic: '学习党章',
    attendeeIds: [memberId],
    absences: [{ memberId: unitId, reason: '出差' }],
  },
  MemberRegistered: {
    memberId,
    personal: sealed,
    gender: 'female',
    joinedOn: '2015-07-01',
    status: 'full',
    orgId,
    effectiveOn: '2020-06-01',
  },
  MemberConfirmed: { memberId, effectiveOn: '2020-06-01', fullSince: '2020-05-20' },
  ProbationExtended: {
    memberId,
    months: 6,
    decidedOn: '2020-05-20',
    reason: '需继续考察',
    probationEndsOn: '2020-11-20',
  },
  ProbationAnnulled: { memberId, decidedOn: '2020-11-25', reason: '不具备党员条件' },
  MemberSuspended: { memberId, decidedOn: '2021-06-01' },
  MemberReinstated: { memberId, decidedOn: '2021-09-01' },
  InflowingMemberRegistered: {
    inflowingMemberId: memberId,
    personal: sealed,
    gender: 'male',
    home: { name: '湖南省汨罗市委组织部', regionCode: '430681' },
    hostOrgId: orgId,
    since: '2023-03-01',
    occupation: 'technical-worker',
  },
  InflowingMemberDeparted: { inflowingMemberId: memberId, effectiveOn: '2024-02-01' },
  InflowingMemberConverted: { inflowingMemberId: memberId, memberId, effectiveOn: '2024-02-01' },
  InflowingMemberPersonalDataForgotten: { inflowingMemberId: memberId },
  ApplicationSubmitted: {
    applicantId,
    personal: sealed,
    gender: 'female',
    orgId,
    occupation: 'technical-worker',
    appliedOn: '2022-03-01',
  },
  ApplicantInterviewed: { applicantId, interviewedOn: '2022-03-20', interviewerId: memberId },
  ActivistDesignated: { applicantId, designatedOn: '2022-06-01', contactIds: [memberId] },
  ApplicantReviewed: { applicantId, reviewedOn: '2022-12-01', summary: '表现良好' },
  CandidateDesignated: {
    applicantId,
    designatedOn: '2023-06-10',
    introducerIds: [memberId, orgId],
    politicalReviewOn: '2023-06-01',
  },
  ApplicantTrained: { applicantId, completedOn: '2023-09-01', hours: 24 },
  ApplicantAdmitted: { applicantId, meetingOn: '2024-01-15', eligibleVoters: 9, present: 8, inFavour: 7 },
  ApplicantApproved: { applicantId, approvedOn: '2024-03-01', memberId },
  ApplicationWithdrawn: { applicantId, effectiveOn: '2024-03-01', reason: '本人申请撤回' },
  ApplicantPersonalDataForgotten: { applicantId },
  MemberEmploymentChanged: { memberId, unitId: null, effectiveOn: '2020-06-01' },
  TransferInitiated: {
    memberId,
    transferId: 't1',
    fromOrgId: orgId,
    to: { external: { name: '北京市某街道党工委', regionCode: '110101' } },
    effectiveOn: '2021-01-05',
    letterNo: 'L-1',
    validUntil: '2021-04-05',
    duesPaidUpTo: '2020-12',
  },
  TransferAccepted: { memberId, transferId: 't1', fromOrgId: orgId, to: { orgId }, effectiveOn: '2021-01-06' },
  TransferRejected: { memberId, transferId: 't1', reason: 'wrong organisation', effectiveOn: '2021-01-08' },
  TransferCancelled: { memberId, transferId: 't1', reason: 'changed plans', effectiveOn: '2021-01-08' },
  MemberFlowedOut: {
    memberId,
    since: '2022-01-01',
    destinationRegionCode: '440305',
    hostOrgId: null,
    certificateNo: null,
  },
  MemberFlowReturned: { memberId, effectiveOn: '2022-06-01' },
  MemberLostContact: { memberId, since: '2022-01-01' },
  MemberContactRestored: { memberId, effectiveOn: '2022-07-01' },
  DuesAssessed: { memberId, from: '2023-01', category: 'employed', monthlyIncomeFen: 800_000, monthlyDuesFen: 4_000 },
  DuesPaid: { memberId, months: ['2023-01', '2023-02'], amountFen: 8_000, paidOn: '2023-02-10', channel: 'wechat' },
  MemberLeft: { memberId, reason: 'withdrew', effectiveOn: '2024-01-01' },
  PersonalDataForgotten: { memberId },
  MemberAppraised: { memberId, year: 2024, grade: 'excellent', decidedOn: '2025-01-10' },
  PointsRecorded: {
    memberId,
    year: 2024,
    delta: -20,
    category: '组织生活',
    reason: '缺席主题党日',
    recordedOn: '2024-05-10',
  },
};

function stored(type: string, data: unknown, streamId = `member-${memberId}`) {
  return {
    id: '0190a6a2-0000-7000-8000-000000000009',
    streamId,
    streamVersion: 3,
    position: 42n,
    type,
    data,
    recordedAt: new Date('2026-01-02T03:04:05.000Z'),
  };
}

const BASE = 'https://registry.example.gov.cn';
const publish = (event: ReturnType<typeof stored>) => toPublicEvent(event, BASE);

const streamOf = (type: string): string =>
  type.startsWith('Grid')
    ? `grid-${gridId}`
    : type.startsWith('Unit') || type === 'InstructorAssigned'
      ? `unit-${unitId}`
      : /Organization|JointBranch|Secretary|Committee|Election|Meeting/.test(type)
        ? `organization-${orgId}`
        : `member-${memberId}`;

describe('public events', () => {
  it('has a public contract for every domain event, and no other', () => {
    expect([...PUBLIC_EVENT_NAMES].sort()).toEqual(Object.keys(samples).sort());
  });

  it.each(Object.entries(samples))('publishes %s valid against its own JSON Schema', (type, data) => {
    const published = publish(stored(type, data, streamOf(type)));
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(schemaOfType(published.type)!);
    expect(validate(published)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('leaves out every personal field: the sealed personal data and an instructor’s name', () => {
    const member = publish(stored('MemberRegistered', samples.MemberRegistered));
    expect(member.data).not.toHaveProperty('personal');
    expect(JSON.stringify(member)).not.toContain(sealed.ciphertext);
    const inflow = publish(
      stored('InflowingMemberRegistered', samples.InflowingMemberRegistered, `inflow-${memberId}`),
    );
    expect(inflow.data).not.toHaveProperty('personal');
    expect(JSON.stringify(inflow)).not.toContain(sealed.ciphertext);
    const applicant = publish(stored('ApplicationSubmitted', samples.ApplicationSubmitted, `applicant-${applicantId}`));
    expect(applicant.data).not.toHaveProperty('personal');
    expect(JSON.stringify(applicant)).not.toContain(sealed.ciphertext);
    const review = publish(stored('ApplicantReviewed', samples.ApplicantReviewed, `applicant-${applicantId}`));
    expect(review.data).toEqual({ applicantId, reviewedOn: '2022-12-01' });
    const withdrawal = publish(
      stored('ApplicationWithdrawn', samples.ApplicationWithdrawn, `applicant-${applicantId}`),
    );
    expect(withdrawal.data).toEqual({ applicantId, effectiveOn: '2024-03-01' });
    const meeting = publish(stored('MeetingHeld', samples.MeetingHeld, `organization-${orgId}`));
    expect(meeting.data.absences).toEqual([{ memberId: unitId }]);
    const instructor = publish(stored('InstructorAssigned', samples.InstructorAssigned, `unit-${unitId}`));
    expect(instructor.data).toEqual({ unitId, effectiveOn: '2021-03-01' });
    expect(JSON.stringify(instructor)).not.toContain('张三');
  });

  it('carries the CloudEvents attributes and the registry’s extensions', () => {
    expect(publish(stored('MemberConfirmed', samples.MemberConfirmed))).toEqual({
      specversion: '1.0',
      id: '0190a6a2-0000-7000-8000-000000000009',
      type: 'registry.MemberConfirmed.v1',
      source: 'urn:liangxin-registry',
      subject: `member-${memberId}`,
      time: '2026-01-02T03:04:05.000Z',
      datacontenttype: 'application/json',
      dataschema: 'https://registry.example.gov.cn/v1/schemas/registry.MemberConfirmed.v1',
      position: '42',
      streamversion: 3,
      category: 'member',
      data: { memberId, effectiveOn: '2020-06-01', fullSince: '2020-05-20' },
    });
  });

  it('refuses an unknown type, an unknown stream category and data that breaks the schema, naming the field', () => {
    expect(() => publish(stored('MemberTeleported', {}))).toThrow(NotPublishable);
    expect(() => publish(stored('MemberConfirmed', samples.MemberConfirmed, `dues-${memberId}`))).toThrow(
      'no public category',
    );
    expect(() => publish(stored('MemberConfirmed', { memberId, effectiveOn: '1 March' }))).toThrow(
      /effectiveOn: a date/,
    );
  });

  it('lists every schema in the index, each reachable by its type', () => {
    const index = schemaIndex();
    expect(index.events).toHaveLength(PUBLIC_EVENT_NAMES.length);
    expect(index.topics.member).toBe('registry.members.v1');
    for (const entry of index.events) expect(schemaOfType(entry.type)).toEqual(publicEventSchema(entry.event));
    expect(schemaOfType('registry.MemberConfirmed.v9')).toBeUndefined();
  });
});
