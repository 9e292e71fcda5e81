import { z } from 'zod';
import { parseStreamId, type StreamCategory } from './stream-names';

/**
 * The public events: what integrators receive on Kafka and on the HTTP feed.
 *
 * Each schema is an allowlist. Parsing a stored event's data through it keeps only the fields named
 * here, so a field added to a domain event stays private until it is added to its public schema.
 * No public event carries a personal identifier: not a name, resident ID number, phone or birth
 * date (those live sealed in `personal`, which no schema names), erased or not.
 *
 * Versioning: a new optional field keeps the version; anything else is a new version, published
 * beside the old one (a new `.vN` type and topic).
 */
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD');
const month = z.string().regex(/^\d{4}-\d{2}$/, 'a month, YYYY-MM');
const id = z.string().min(1);
const regionCode = z.string().regex(/^\d{6}$/, 'a six-digit administrative region code');
const externalParty = z.object({ name: z.string(), regionCode });
const transferTarget = z.union([z.object({ orgId: id }), z.object({ external: externalParty })]);
const establishment = z.object({
  organizationId: id,
  name: z.string(),
  level: z.enum(['committee', 'general-branch', 'branch']),
  form: z.enum(['single', 'joint', 'building', 'regional', 'industry', 'flowing']),
  parentId: id.optional(),
  regionCode,
  unitIds: z.array(id),
  establishedOn: day,
});

export const PUBLIC_EVENT_DATA = {
  UnitRegistered: z.object({
    unitId: id,
    name: z.string().describe('the unit (enterprise or social organisation), not a person'),
    creditCode: z.string().describe('统一社会信用代码 of the unit'),
    kind: z.enum(['enterprise', 'social-organization']),
    regionCode,
    industry: z.string(),
    buildingId: id.optional(),
    parkId: id.optional(),
    employeeCount: z.number().int().nonnegative().optional(),
    registeredOn: day,
  }),
  /** The instructor's name is a person's name: it stays out. */
  InstructorAssigned: z.object({ unitId: id, effectiveOn: day }),
  /** The unit's instructors leave: work coverage (工作覆盖) ends from `effectiveOn`. */
  InstructorWithdrawn: z.object({ unitId: id, effectiveOn: day }),
  UnitClosed: z.object({ unitId: id, effectiveOn: day }),

  OrganizationEstablished: establishment,
  JointBranchFormed: establishment,
  UnitJoinedOrganization: z.object({ organizationId: id, unitId: id, effectiveOn: day }),
  UnitLeftOrganization: z.object({ organizationId: id, unitId: id, effectiveOn: day }),
  OrganizationReparented: z.object({
    organizationId: id,
    fromParentId: id.nullable(),
    toParentId: id,
    effectiveOn: day,
  }),
  OrganizationRenamed: z.object({ organizationId: id, from: z.string(), to: z.string(), effectiveOn: day }),
  SecretaryAppointed: z.object({ organizationId: id, memberId: id, effectiveOn: day }),
  OrganizationDissolved: z.object({ organizationId: id, effectiveOn: day, reason: z.string() }),
  /** 换届: the secretary is the seat with role `secretary` (it replaces any earlier appointment). */
  CommitteeElected: z.object({
    organizationId: id,
    electedOn: day,
    termYears: z.number().int().min(1),
    termEndsOn: day,
    members: z.array(z.object({ memberId: id, role: z.enum(['secretary', 'deputy-secretary', 'member']) })).min(1),
  }),
  ElectionPostponed: z.object({ organizationId: id, until: day, approvedOn: day, reason: z.string() }),
  /** 三会一课: the meeting, who attended and who was excused (their reasons stay out). */
  MeetingHeld: z.object({
    organizationId: id,
    kind: z.enum([
      'general-meeting',
      'committee-meeting',
      'group-meeting',
      'party-lecture',
      'theme-day',
      'life-meeting',
    ]),
    heldOn: day,
    topic: z.string(),
    attendeeIds: z.array(id),
    absences: z.array(z.object({ memberId: id })),
  }),
  /** 星级创建: the organisation's stars for a year. */
  OrganizationRated: z.object({
    organizationId: id,
    year: z.number().int(),
    stars: z.number().int().min(1).max(5),
    ratedOn: day,
  }),

  /** Everything about the person (name, ID number, phone, birth date) stays sealed in the log. */
  MemberRegistered: z.object({
    memberId: id,
    gender: z.enum(['male', 'female']),
    joinedOn: day,
    status: z.enum(['probationary', 'full']),
    orgId: id,
    unitId: id.optional(),
    occupation: z.enum(['owner', 'manager', 'technical-worker', 'mobile-talent', 'other']).optional(),
    effectiveOn: day,
    origin: z.object({ external: externalParty.extend({ letterNo: z.string() }) }).optional(),
    confirmedOn: day.optional().describe("a migrated full member's confirmation date, as the old records give it"),
    applicantId: id.optional().describe('admitted through the development pipeline: the application it came from'),
  }),
  MemberConfirmed: z.object({
    memberId: id,
    effectiveOn: day.describe('the confirming meeting'),
    fullSince: day.optional().describe('the end of probation: standing (党龄) counts from it'),
  }),
  ProbationExtended: z.object({
    memberId: id,
    months: z.number().int().min(6).max(12),
    decidedOn: day,
    reason: z.string(),
    probationEndsOn: day,
  }),
  /** Ends the membership, as MemberLeft does. */
  ProbationAnnulled: z.object({ memberId: id, decidedOn: day, reason: z.string() }),
  MemberSuspended: z.object({ memberId: id, decidedOn: day }),
  MemberReinstated: z.object({ memberId: id, decidedOn: day }),
  MemberEmploymentChanged: z.object({ memberId: id, unitId: id.nullable(), effectiveOn: day }),
  TransferInitiated: z.object({
    memberId: id,
    transferId: id,
    fromOrgId: id,
    to: transferTarget,
    effectiveOn: day,
    letterNo: z.string().nullable(),
    validUntil: day,
    duesPaidUpTo: month.nullable(),
  }),
  TransferAccepted: z.object({ memberId: id, transferId: id, fromOrgId: id, to: transferTarget, effectiveOn: day }),
  /** `effectiveOn` since schema version 2 of the stored event; older ones are read with the day they were recorded. */
  TransferRejected: z.object({ memberId: id, transferId: id, reason: z.string(), effectiveOn: day.optional() }),
  TransferCancelled: z.object({ memberId: id, transferId: id, reason: z.string(), effectiveOn: day.optional() }),
  MemberFlowedOut: z.object({
    memberId: id,
    since: day,
    destinationRegionCode: regionCode,
    hostOrgId: id.nullable(),
    certificateNo: z.string().nullable(),
  }),
  MemberFlowReturned: z.object({ memberId: id, effectiveOn: day }),
  MemberLostContact: z.object({ memberId: id, since: day }),
  MemberContactRestored: z.object({ memberId: id, effectiveOn: day }),
  DuesAssessed: z.object({
    memberId: id,
    from: month,
    category: z.enum(['employed', 'retired', 'student', 'unemployed', 'other']),
    monthlyIncomeFen: z.number().int().nonnegative().nullable(),
    monthlyDuesFen: z.number().int().nonnegative(),
  }),
  DuesPaid: z.object({
    memberId: id,
    months: z.array(month),
    amountFen: z.number().int().nonnegative(),
    paidOn: day,
    channel: z.string(),
  }),
  MemberLeft: z.object({
    memberId: id,
    reason: z.enum(['deceased', 'expelled', 'withdrew', 'self-withdrawal']),
    effectiveOn: day,
  }),
  /** Tells integrators to erase whatever they hold about the member beyond the id. */
  PersonalDataForgotten: z.object({ memberId: id }),
  /** 积分: an entry of the member's points for a year (the reason is free text about the person: it stays out). */
  PointsRecorded: z.object({
    memberId: id,
    year: z.number().int(),
    delta: z.number().int(),
    category: z.string(),
    recordedOn: day,
  }),
  /** 民主评议: the member's grade for a year. */
  MemberAppraised: z.object({
    memberId: id,
    year: z.number().int(),
    grade: z.enum(['excellent', 'qualified', 'basically-qualified', 'unqualified']),
    decidedOn: day,
  }),

  /** A flowing member whose home organisation is outside the registry (流入党员); the person stays sealed. */
  InflowingMemberRegistered: z.object({
    inflowingMemberId: id,
    gender: z.enum(['male', 'female']),
    home: externalParty.describe('the home organisation, outside the registry, which keeps the relation'),
    hostOrgId: id,
    since: day,
    occupation: z.enum(['owner', 'manager', 'technical-worker', 'mobile-talent', 'other']).optional(),
    certificateNo: z.string().optional().describe('流动党员活动证'),
  }),
  InflowingMemberDeparted: z.object({ inflowingMemberId: id, effectiveOn: day }),
  /** The same person was registered as a member (a transfer in): the inflow ends. */
  InflowingMemberConverted: z.object({ inflowingMemberId: id, memberId: id, effectiveOn: day }),
  /** Tells integrators to erase whatever they hold about the inflowing member beyond the id. */
  InflowingMemberPersonalDataForgotten: z.object({ inflowingMemberId: id }),

  /**
   * The development pipeline (发展党员). The person stays sealed; free text about them (a review's
   * summary, a withdrawal's reason) stays out too.
   */
  ApplicationSubmitted: z.object({
    applicantId: id,
    gender: z.enum(['male', 'female']),
    orgId: id,
    unitId: id.optional(),
    occupation: z.enum(['owner', 'manager', 'technical-worker', 'mobile-talent', 'other']).optional(),
    appliedOn: day,
  }),
  ApplicantInterviewed: z.object({ applicantId: id, interviewedOn: day, interviewerId: id }),
  ActivistDesignated: z.object({ applicantId: id, designatedOn: day, contactIds: z.array(id).min(1).max(2) }),
  ApplicantReviewed: z.object({ applicantId: id, reviewedOn: day }),
  CandidateDesignated: z.object({
    applicantId: id,
    designatedOn: day,
    introducerIds: z.array(id).length(2),
    politicalReviewOn: day,
  }),
  ApplicantTrained: z.object({ applicantId: id, completedOn: day, hours: z.number().int().min(1) }),
  ApplicantAdmitted: z.object({
    applicantId: id,
    meetingOn: day.describe('the branch general meeting; the admission date (joinedOn)'),
    eligibleVoters: z.number().int().min(1),
    present: z.number().int().nonnegative(),
    inFavour: z.number().int().nonnegative(),
  }),
  ApplicantApproved: z.object({
    applicantId: id,
    approvedOn: day,
    memberId: id.describe('the probationary member the applicant became'),
  }),
  ApplicationWithdrawn: z.object({ applicantId: id, effectiveOn: day }),
  /** Tells integrators to erase whatever they hold about the applicant beyond the id. */
  ApplicantPersonalDataForgotten: z.object({ applicantId: id }),
  /** 网格联建: units joined under one lead organisation (rated 4 stars or more when the grid began). */
  GridEstablished: z.object({
    gridId: id,
    name: z.string(),
    regionCode,
    leadOrgId: id,
    unitIds: z.array(id),
    establishedOn: day,
  }),
  GridUnitJoined: z.object({ gridId: id, unitId: id, effectiveOn: day }),
  GridUnitLeft: z.object({ gridId: id, unitId: id, effectiveOn: day }),
} as const;

export type PublicEventName = keyof typeof PUBLIC_EVENT_DATA;
export const PUBLIC_EVENT_NAMES = Object.keys(PUBLIC_EVENT_DATA) as PublicEventName[];
export const PUBLIC_EVENTS_VERSION = 1;

/** Kafka topic per stream category; the version is in the name so a v2 can run beside v1. */
export const TOPICS: Readonly<Record<StreamCategory, string>> = {
  unit: 'registry.units.v1',
  organization: 'registry.organizations.v1',
  member: 'registry.members.v1',
  inflow: 'registry.inflows.v1',
  applicant: 'registry.applicants.v1',
  grid: 'registry.grids.v1',
};

export const CLOUDEVENTS_SOURCE = 'urn:liangxin-registry';

/** `registry.MemberRegistered.v1` */
export function publicTypeOf(name: PublicEventName): string {
  return `registry.${name}.v${PUBLIC_EVENTS_VERSION}`;
}

/** Where the schema of a public type is served (relative to the API's base URL). */
export function schemaPathOf(name: PublicEventName): string {
  return `/v1/schemas/${publicTypeOf(name)}`;
}

/**
 * Where the schema of a public type is served, as the absolute URI CloudEvents requires of
 * `dataschema`: the registry's public base URL (`PUBLIC_BASE_URL`) and the schema's path.
 */
export function schemaUriOf(name: PublicEventName, publicBaseUrl: string): string {
  return new URL(schemaPathOf(name), publicBaseUrl).toString();
}

/** What the relay and the feed need of a stored event. */
export interface StoredEventLike {
  readonly id: string;
  readonly streamId: string;
  readonly streamVersion: number;
  readonly position: bigint;
  readonly type: string;
  readonly data: unknown;
  readonly recordedAt: Date;
  /** Who asked and the request's ids; only the trace and correlation ids are published. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A public event: a CloudEvents 1.0 event plus the registry's extensions. */
export interface PublicEvent {
  readonly specversion: '1.0';
  /** The stored event's id: the key to deduplicate on. */
  readonly id: string;
  readonly type: string;
  readonly source: string;
  /** The stream id, e.g. `member-<uuid>`; also the Kafka key. */
  readonly subject: string;
  /** When the registry recorded the event (RFC 3339). Business dates are in `data`. */
  readonly time: string;
  readonly datacontenttype: 'application/json';
  /** The absolute URI of the JSON Schema of `data`. */
  readonly dataschema: string;
  /** Extension: the event's global position, as a decimal string. */
  readonly position: string;
  /** Extension: the event's version within its stream. */
  readonly streamversion: number;
  readonly category: StreamCategory;
  /** Extension (CloudEvents distributed tracing): the W3C trace context of the command that recorded the event. */
  readonly traceparent?: string;
  /** Extension: the correlation id of the request that recorded the event (X-Correlation-Id, else its request id). */
  readonly correlationid?: string;
  /** Extension: the id of the request that caused the event. */
  readonly causationid?: string;
  readonly data: Record<string, unknown>;
}

export class NotPublishable extends Error {
  override readonly name = 'NotPublishable';
}

export function isPublicEventName(type: string): type is PublicEventName {
  return Object.hasOwn(PUBLIC_EVENT_DATA, type);
}

/**
 * A stored event → its public form. Throws `NotPublishable` for an event whose stream or type has
 * no public contract, or whose data does not fit it: the relay must stop there rather than publish
 * something the schema does not promise.
 */
export function toPublicEvent(event: StoredEventLike, publicBaseUrl: string): PublicEvent {
  const stream = parseStreamId(event.streamId);
  if (!stream) throw new NotPublishable(`stream ${event.streamId} has no public category`);
  if (!isPublicEventName(event.type)) throw new NotPublishable(`event type ${event.type} has no public contract`);
  const parsed = PUBLIC_EVENT_DATA[event.type].safeParse(event.data);
  if (!parsed.success) {
    const where = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`)
      .join('; ');
    throw new NotPublishable(`event ${event.id} (${event.type}) does not fit its public schema: ${where}`);
  }
  return {
    specversion: '1.0',
    id: event.id,
    type: publicTypeOf(event.type),
    source: CLOUDEVENTS_SOURCE,
    subject: event.streamId,
    time: event.recordedAt.toISOString(),
    datacontenttype: 'application/json',
    dataschema: schemaUriOf(event.type, publicBaseUrl),
    position: event.position.toString(),
    streamversion: event.streamVersion,
    category: stream.category,
    ...traceExtensionsOf(event.metadata ?? {}),
    data: parsed.data,
  };
}

/** A W3C `traceparent` (version 00): trace id and parent id non-zero lowercase hex. */
export const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;
/** What a CloudEvents extension value may hold here: visible ASCII, as the API accepts in its id headers. */
const EXTENSION_VALUE = /^[\x21-\x7e]{1,200}$/;

/** The trace and correlation extensions of an event, from its metadata; a value of the wrong shape is left out. */
function traceExtensionsOf(
  metadata: Readonly<Record<string, unknown>>,
): Pick<PublicEvent, 'traceparent' | 'correlationid' | 'causationid'> {
  const text = (key: string, shape: RegExp): string | undefined => {
    const value = metadata[key];
    return typeof value === 'string' && shape.test(value) ? value : undefined;
  };
  const traceparent = text('traceparent', TRACEPARENT);
  const correlationid = text('correlationId', EXTENSION_VALUE);
  const causationid = text('causationId', EXTENSION_VALUE);
  return {
    ...(traceparent === undefined ? {} : { traceparent }),
    ...(correlationid === undefined ? {} : { correlationid }),
    ...(causationid === undefined ? {} : { causationid }),
  };
}

/** The Kafka topic a stream category is published to. */
export function topicOf(category: StreamCategory): string {
  return TOPICS[category];
}
