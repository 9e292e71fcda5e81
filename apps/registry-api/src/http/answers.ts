import type { Query, QueryResult } from '@nestjs/cqrs';
import { z } from 'zod';
import type {
  CoverageQuery,
  DuesArrearsQuery,
  DuesQuery,
  EventFeedQuery,
  FlowingQuery,
  LostContactQuery,
  DevelopmentQuery,
  TermsQuery,
  CommitteeQuery,
  OrganizationalLifeQuery,
  GridQuery,
  RatingsQuery,
  AppraisalsQuery,
  PointsQuery,
  HistoryQuery,
  OrganizationQuery,
  OrganizationTreeQuery,
  ShouldEstablishQuery,
  StreamQuery,
  TransfersQuery,
} from '@registry/commands';
import {
  CLOUDEVENTS_SOURCE,
  PUBLIC_EVENT_DATA,
  PUBLIC_EVENT_NAMES,
  type PublicEvent,
  publicTypeOf,
  type schemaIndex,
  STREAM_CATEGORIES,
  TOPICS,
  TRACEPARENT,
} from '@registry/contracts';
import {
  type CurrentMember,
  type Leaving,
  MEETING_KINDS,
  type MeetingKind,
  type MemberStatus,
  type Occupation,
  type PendingTransfer,
} from '@registry/domain';
import type { PersonalFields } from '@registry/personal-data';

/**
 * The answers of the query routes, one named schema each. The OpenAPI document carries them as
 * `components.schemas` (so the recursive tree can refer to itself) and every GET route of /v1 points
 * its 200 response at one; the e2e tests validate every answer they receive against that document.
 */
export const ANSWERS = z.registry<{ id: string; description?: string }>();

function named<S extends z.ZodType>(id: string, description: string, schema: S): S {
  ANSWERS.add(schema, { id, description });
  return schema;
}

const uuid = () => z.uuid();
const day = () => z.iso.date();
const month = () => z.string().regex(/^\d{4}-\d{2}$/);
const count = () => z.int().min(0);
const position = () => z.string().regex(/^\d+$/).describe('global log position, a decimal string');
const level = z.enum(['committee', 'general-branch', 'branch']);
const form = z.enum(['single', 'joint', 'building', 'regional', 'industry', 'flowing']);
const jsonObject = () => z.record(z.string(), z.unknown());

export const organizationCounts = named(
  'OrganizationCounts',
  'members by standing, and flowing members in and out',
  z.strictObject({
    members: count(),
    full: count(),
    probationary: count(),
    flowingIn: count(),
    flowingOut: count(),
  }),
);

export const organizationAnswer = named(
  'Organization',
  'an organisation as it stood on asOf',
  z.strictObject({
    id: uuid(),
    asOf: day(),
    name: z.string(),
    level,
    form,
    regionCode: z.string(),
    parentId: uuid().nullable(),
    secretaryId: uuid().nullable(),
    validFrom: day().describe('first day this version of its attributes holds'),
    validTo: day().nullable().describe('first day it no longer holds; null while it still does'),
    unitIds: z.array(uuid()),
    counts: organizationCounts.describe('subtree totals'),
    ownCounts: organizationCounts.describe('the organisation itself'),
    childCount: count(),
  }),
);

const treeFields = {
  id: uuid(),
  name: z.string(),
  level,
  form,
  regionCode: z.string(),
  counts: organizationCounts.describe('subtree totals'),
  ownCounts: organizationCounts.describe('the organisation itself'),
};

type TreeNodeAnswer = z.output<z.ZodObject<typeof treeFields>> & { children: TreeNodeAnswer[] };

export const organizationTreeNode: z.ZodType<TreeNodeAnswer> = named(
  'OrganizationTreeNode',
  'an organisation of the subtree, its children nested, sorted by name',
  z.strictObject({
    ...treeFields,
    get children() {
      return z.array(organizationTreeNode);
    },
  }),
);

export const organizationRootsAnswer = named(
  'OrganizationRoots',
  'the organisations at the top of the hierarchy on a date (for a scoped token: its own organisation)',
  z.strictObject({ asOf: day(), roots: z.array(z.uuid()) }),
);

export const organizationTreeAnswer = named(
  'OrganizationTree',
  'the subtree as of a date, nested down to depth',
  z.strictObject({ asOf: day(), ...treeFields, children: z.array(organizationTreeNode) }),
);

const coverageRow = named(
  'CoverageRow',
  'the two coverages (两个覆盖) of one group; rates are null without units',
  z.strictObject({
    key: z.string(),
    label: z.string(),
    units: count(),
    singleCovered: count(),
    jointCovered: count(),
    workCoveredOnly: count(),
    uncovered: count(),
    orgCoverageRate: z.number().min(0).max(1).nullable(),
    workCoverageRate: z.number().min(0).max(1).nullable(),
    shouldEstablish: count(),
    members: count(),
  }),
);

export const coverageAnswer = named(
  'CoverageReport',
  'coverage per region, industry, building or park, with totals',
  z.strictObject({
    asOf: day(),
    groupBy: z.enum(['region', 'industry', 'building', 'park', 'grid']),
    regionCode: z.string().nullable(),
    level: z.string().nullable().describe('for regions: the level of the rows (province, city or county)'),
    rows: z.array(coverageRow),
    totals: coverageRow,
  }),
);

const externalParty = z.strictObject({ name: z.string(), regionCode: z.string() });
const transferTarget = named(
  'TransferTarget',
  'an organisation of the registry, or a party outside it',
  z.union([z.strictObject({ orgId: uuid() }), z.strictObject({ external: externalParty })]),
);

const transferRow = z.strictObject({
  transferId: uuid(),
  memberId: uuid(),
  fromOrgId: uuid(),
  to: transferTarget,
  letterNo: z.string().nullable(),
  effectiveOn: day(),
  validUntil: day(),
  duesPaidUpTo: month().nullable(),
  overdue: z.boolean(),
  daysOverdue: count(),
});

export const transfersAnswer = named(
  'TransfersReport',
  'pending transfers, or only those past the letter\u2019s validity',
  z.strictObject({ status: z.enum(['pending', 'overdue']), today: day(), transfers: z.array(transferRow) }),
);

export const duesAnswer = named(
  'DuesReport',
  'dues expected and collected for a month over a subtree',
  z.strictObject({
    orgId: uuid(),
    month: month(),
    members: count(),
    expectedFen: count(),
    collectedFen: count(),
    membersInArrears: count(),
    collectionRate: z.number().min(0).max(1).nullable(),
  }),
);

const arrearsRow = z.strictObject({
  memberId: uuid(),
  orgId: uuid(),
  consecutiveUnpaidMonths: count(),
  lastPaidMonth: month().nullable(),
  monthlyDuesFen: count(),
});

export const arrearsAnswer = named(
  'DuesArrearsReport',
  'members with at least minMonths consecutive unpaid months',
  z.strictObject({ minMonths: z.int().min(1), throughMonth: month(), members: z.array(arrearsRow) }),
);

export const flowingAnswer = named(
  'FlowingReport',
  'flowing members (流动党员) hosted in a subtree or everywhere',
  z.strictObject({
    hostOrgId: uuid().nullable(),
    total: count(),
    byOccupation: z.array(
      z.strictObject({ occupation: z.string(), members: count(), share: z.number().min(0).max(1) }),
    ),
    byOriginRegion: z.array(z.strictObject({ regionCode: z.string(), label: z.string(), members: count() })),
    byHostOrganization: z.array(z.strictObject({ orgId: uuid().nullable(), members: count() })),
    inflowing: count().describe('of total, members whose home organisation is outside the registry (流入党员)'),
    convertedInflows: count().describe('inflowing members who have since transferred their relation in'),
  }),
);

const shouldEstablishUnit = z.strictObject({
  unitId: uuid(),
  name: z.string(),
  regionCode: z.string(),
  industry: z.string(),
  fullMembers: count(),
  members: count(),
  coverage: z.string(),
  since: day(),
});

export const shouldEstablishAnswer = named(
  'ShouldEstablishReport',
  'units with enough full members and no organisation of their own (应建未建)',
  z.strictObject({ asOf: day(), regionCode: z.string().nullable(), units: z.array(shouldEstablishUnit) }),
);

export const streamAnswer = named(
  'AuditedStream',
  'a stream\u2019s events up to a version or business date, and the state folded from them',
  z.strictObject({
    streamId: z.string(),
    category: z.enum(STREAM_CATEGORIES),
    toVersion: z.int().min(1).nullable(),
    asOf: day().nullable(),
    version: z.int().min(1).describe('the stream\u2019s current version, whatever toVersion or asOf'),
    events: z.array(
      z.strictObject({
        id: uuid(),
        streamVersion: z.int().min(1),
        position: position(),
        type: z.string(),
        recordedAt: z.iso.datetime(),
        effectiveOn: day(),
        actor: z.string().nullable().describe('who recorded it (metadata.actor)'),
        data: jsonObject(),
        metadata: jsonObject(),
        hash: z.string().regex(/^[0-9a-f]{64}$/),
      }),
    ),
    state: jsonObject().describe(
      'the aggregate\u2019s state folded from the included events (the domain\u2019s shape)',
    ),
  }),
);

const cloudEvent = z.strictObject({
  specversion: z.literal('1.0'),
  id: uuid(),
  type: z.string(),
  source: z.literal(CLOUDEVENTS_SOURCE),
  subject: z.string(),
  time: z.iso.datetime(),
  datacontenttype: z.literal('application/json'),
  dataschema: z.string(),
  position: position(),
  streamversion: z.int().min(1),
  category: z.enum(STREAM_CATEGORIES),
  traceparent: z
    .string()
    .regex(TRACEPARENT)
    .optional()
    .describe('the W3C trace context of the command that recorded the event (absent when it carried none)'),
  correlationid: z.string().optional().describe('the correlation id of the recording request'),
  causationid: z.string().optional().describe('the id of the request that caused the event'),
  data: jsonObject(),
});

const [firstEventName, ...otherEventNames] = PUBLIC_EVENT_NAMES.map((name) =>
  cloudEvent.extend({ type: z.literal(publicTypeOf(name)), data: PUBLIC_EVENT_DATA[name] }),
);
if (!firstEventName) throw new Error('the contracts name no public event');
const publicEvent: z.ZodType<z.output<typeof cloudEvent>> = named(
  'PublicEvent',
  'a CloudEvent in structured form, one shape per public type; `data` as its schema (dataschema) says',
  z.discriminatedUnion('type', [firstEventName, ...otherEventNames]),
);

export const eventFeedAnswer = named(
  'EventFeedPage',
  'a page of the public event feed, in log order',
  z.strictObject({
    events: z.array(publicEvent),
    next: position().describe('pass as `after` for the next page'),
    caughtUp: z.boolean(),
  }),
);

const personalFields = z.strictObject({
  name: z.string(),
  idNumber: z.string(),
  phone: z.string().optional(),
  birthDate: day(),
});

export const memberAnswer = named(
  'Member',
  'the member from their stream; `personal` only for registrar, auditor and admin',
  z.strictObject({
    id: uuid(),
    streamVersion: z.int().min(1),
    status: z.enum(['member', 'left']),
    standing: z.enum(['probationary', 'full']),
    gender: z.enum(['male', 'female']),
    joinedOn: day(),
    confirmedOn: day().nullable().describe('the confirming meeting (转正)'),
    fullSince: day()
      .nullable()
      .describe('the end of probation: standing (党龄) counts from it; null while probationary'),
    probationEndsOn: day().nullable().describe('while probationary: the end of probation, extension included'),
    probationExtension: z.strictObject({ months: z.int().min(6).max(12), decidedOn: day() }).nullable(),
    suspendedOn: day().nullable().describe('停止党籍: the decision, while suspended'),
    orgId: uuid().nullable().describe('null once transferred outside the registry'),
    unitId: uuid().nullable(),
    occupation: z.enum(['owner', 'manager', 'technical-worker', 'mobile-talent', 'other']).nullable(),
    registeredOn: day(),
    origin: z.strictObject({ external: externalParty.extend({ letterNo: z.string() }) }).nullable(),
    pendingTransfer: z
      .strictObject({
        transferId: uuid(),
        to: transferTarget,
        letterNo: z.string().nullable(),
        effectiveOn: day(),
        validUntil: day(),
      })
      .nullable(),
    transfers: z.record(z.string(), z.enum(['pending', 'accepted', 'rejected', 'cancelled'])),
    flowing: z
      .strictObject({ since: day(), destinationRegionCode: z.string(), hostOrgId: uuid().nullable() })
      .nullable(),
    lostContactSince: day().nullable(),
    dues: z.strictObject({
      assessments: z.array(z.strictObject({ from: month(), monthlyDuesFen: count() })),
      paidMonths: z.array(month()),
    }),
    left: z
      .strictObject({
        reason: z.enum(['deceased', 'expelled', 'withdrew', 'self-withdrawal', 'probation-annulled']),
        effectiveOn: day(),
      })
      .nullable(),
    personal: z.union([personalFields, z.strictObject({ erased: z.literal(true) })]).optional(),
  }),
);

export const applicantAnswer = named(
  'Applicant',
  'the applicant from their stream: the stage and the date of each step; `personal` only for registrar, auditor and admin',
  z.strictObject({
    id: uuid(),
    streamVersion: z.int().min(1),
    stage: z.enum(['applicant', 'activist', 'candidate', 'admitted', 'approved', 'withdrawn']),
    gender: z.enum(['male', 'female']),
    orgId: uuid(),
    unitId: uuid().nullable(),
    occupation: z.enum(['owner', 'manager', 'technical-worker', 'mobile-talent', 'other']).nullable(),
    appliedOn: day(),
    interview: z.strictObject({ interviewedOn: day(), interviewerId: uuid() }).nullable(),
    activist: z.strictObject({ designatedOn: day(), contactIds: z.array(uuid()) }).nullable(),
    reviews: z.array(z.strictObject({ reviewedOn: day(), summary: z.string() })),
    candidate: z
      .strictObject({ designatedOn: day(), introducerIds: z.array(uuid()), politicalReviewOn: day() })
      .nullable(),
    training: z.strictObject({
      hours: count().describe('class hours so far'),
      sessions: z.array(z.strictObject({ completedOn: day(), hours: count() })),
    }),
    admission: z
      .strictObject({ meetingOn: day(), eligibleVoters: count(), present: count(), inFavour: count() })
      .nullable(),
    approval: z.strictObject({ approvedOn: day(), memberId: uuid() }).nullable(),
    withdrawal: z.strictObject({ effectiveOn: day(), reason: z.string() }).nullable(),
    personal: z.union([personalFields, z.strictObject({ erased: z.literal(true) })]).optional(),
  }),
);

const seatRole = z.enum(['secretary', 'deputy-secretary', 'member']);

export const committeeAnswer = named(
  'Committee',
  'the committee as of a date, from the streams; a post falls vacant when its holder leaves the organisation or the membership',
  z.strictObject({
    organizationId: uuid(),
    asOf: day(),
    electedOn: day().nullable().describe('null: no committee elected by asOf'),
    termYears: z.int().nullable(),
    termEndsOn: day().nullable(),
    postponedUntil: day().nullable(),
    members: z.array(z.strictObject({ memberId: uuid(), role: seatRole, vacant: z.boolean() })),
    vacancies: z.array(z.strictObject({ memberId: uuid().describe('the former holder'), role: seatRole })),
  }),
);

export const termsAnswer = named(
  'TermsReport',
  'terms (换届) in a subtree that end soon or have ended with no new election, postponement counted',
  z.strictObject({
    orgId: uuid(),
    status: z.enum(['due', 'overdue']),
    withinMonths: z.int(),
    today: day(),
    organizations: z.array(
      z.strictObject({
        orgId: uuid(),
        name: z.string().nullable(),
        electedOn: day(),
        termEndsOn: day(),
        postponedUntil: day().nullable(),
        dueOn: day().describe('the next election: the term’s end or the postponement’s'),
      }),
    ),
  }),
);

const ratedOrganization = z.strictObject({
  orgId: uuid(),
  name: z.string().nullable(),
  stars: z.int().min(1).max(5),
  ratedOn: day(),
});

export const ratingsAnswer = named(
  'RatingsReport',
  'star ratings (星级创建) of a subtree for a year: counts by stars, and the bands',
  z.strictObject({
    orgId: uuid(),
    year: z.int(),
    byStars: z.array(z.strictObject({ stars: z.int().min(1).max(5), organizations: count() })),
    rectify: z.array(ratedOrganization).describe('≤ 2 stars: to be rectified (集中整顿)'),
    standard: z.array(ratedOrganization).describe('3 stars'),
    exemplary: z.array(ratedOrganization).describe('≥ 4 stars: may lead a grid'),
  }),
);

const meetingKindLife = z.strictObject({
  kind: z.enum(MEETING_KINDS),
  required: count().describe('windows of the period, ended by today, in which one meeting of this kind was due'),
  held: count(),
  met: z.boolean().describe('every due window had at least one'),
  missed: z.array(z.strictObject({ from: day(), to: day() })),
});

export const organizationalLifeAnswer = named(
  'OrganizationalLifeReport',
  'organisational life (三会一课) of a subtree: per organisation and kind, meetings due and held; members absent six months',
  z.strictObject({
    orgId: uuid(),
    from: month(),
    to: month(),
    frequencies: z
      .strictObject(
        Object.fromEntries(MEETING_KINDS.map((kind) => [kind, count()])) as Record<
          MeetingKind,
          ReturnType<typeof count>
        >,
      )
      .describe('months between meetings of each kind (settings); 0: not required'),
    absentSince: day().describe('the first day of the last six months of the period'),
    organizations: z.array(
      z.strictObject({
        orgId: uuid(),
        name: z.string(),
        level: z.string(),
        kinds: z.array(meetingKindLife).describe('only branches have meetings due (支部工作条例)'),
        absentMembers: z
          .array(z.strictObject({ memberId: uuid(), lastAttendedOn: day().nullable() }))
          .describe('members now, members since before absentSince, who attended no meeting since'),
      }),
    ),
  }),
);

const rateOrNull = () => z.number().min(0).max(1).nullable();

export const gridAnswer = named(
  'Grid',
  'a grid (网格联建) as of a date: its lead and latest rating, the units in it with their coverage, members employed there',
  z.strictObject({
    gridId: uuid(),
    asOf: day(),
    name: z.string(),
    regionCode: z.string(),
    establishedOn: day(),
    lead: z.strictObject({
      orgId: uuid(),
      name: z.string().nullable(),
      latestRating: z.strictObject({ year: z.int(), stars: z.int().min(1).max(5) }).nullable(),
    }),
    units: z.array(
      z.strictObject({
        unitId: uuid(),
        name: z.string(),
        industry: z.string(),
        coverage: z
          .enum(['single', 'joint', 'work-only', 'uncovered'])
          .nullable()
          .describe('null: the unit was not operating that day'),
        members: count(),
        fullMembers: count(),
      }),
    ),
    counts: z
      .strictObject({
        units: count(),
        singleCovered: count(),
        jointCovered: count(),
        workCoveredOnly: count(),
        uncovered: count(),
        orgCoverageRate: rateOrNull(),
        workCoverageRate: rateOrNull(),
        members: count(),
        fullMembers: count(),
      })
      .describe('over the operating units'),
  }),
);

export const appraisalsAnswer = named(
  'AppraisalsReport',
  'democratic appraisal (民主评议) of the current members of a subtree for a year, by grade',
  z.strictObject({
    orgId: uuid(),
    year: z.int(),
    byGrade: z.array(z.strictObject({ grade: z.string(), members: count() })),
    notAppraised: count().describe('current members with no appraisal for the year'),
  }),
);

export const pointsAnswer = named(
  'PointsReport',
  'points (积分定等) of the current members of a subtree for a year: score = base + the entries; bands from the settings',
  z.strictObject({
    orgId: uuid(),
    year: z.int(),
    settings: z.strictObject({ base: z.int(), honourAt: z.int(), supportBelow: z.int() }),
    members: z.array(
      z.strictObject({
        memberId: uuid(),
        orgId: uuid().nullable(),
        score: z.int(),
        band: z.enum(['honour', 'normal', 'support']).describe('honour: ≥ honourAt; support: < supportBelow'),
      }),
    ),
  }),
);

export const developmentAnswer = named(
  'DevelopmentReport',
  'the development pipeline (发展党员) of a subtree: entries into each stage in the year, and steps overdue today',
  z.strictObject({
    orgId: uuid(),
    year: z.int(),
    today: day(),
    applied: count(),
    activists: count(),
    candidates: count(),
    admitted: count(),
    approved: count(),
    withdrawn: count(),
    overdue: z.array(
      z.strictObject({
        applicantId: uuid(),
        step: z
          .enum(['interview', 'review', 'approval'])
          .describe(
            'interview: 1 month after applying; review: 6 months after the last; approval: 3 months after the meeting',
          ),
        dueOn: day(),
      }),
    ),
  }),
);

export const lostContactAnswer = named(
  'LostContactReport',
  'members out of contact (失联) or suspended (停止党籍); the registry flags, people decide',
  z.strictObject({
    orgId: uuid().nullable(),
    today: day(),
    members: z.array(
      z.strictObject({
        memberId: uuid(),
        orgId: uuid().nullable(),
        since: day().nullable().describe('out of contact since; null once contact returned'),
        months: count().describe('whole months out of contact until today'),
        suspendedOn: day().nullable(),
        flag: z
          .enum(['suspension-due', 'removal-due'])
          .nullable()
          .describe('suspension-due: 6+ months out of contact, not suspended; removal-due: suspended 2+ years'),
      }),
    ),
  }),
);

export const memberHistoryAnswer = named(
  'MemberHistory',
  'the member\u2019s events, oldest first; personal fields stay sealed',
  z.strictObject({
    events: z.array(
      z.strictObject({
        streamVersion: z.int().min(1),
        position: position(),
        type: z.string(),
        recordedAt: z.iso.datetime(),
        effectiveOn: day().nullable(),
        actor: z.string().nullable(),
        requestId: z.string().nullable(),
        correlationId: z.string().nullable(),
        causationId: z.string().nullable(),
        traceId: z.string().nullable().describe('the OpenTelemetry trace of the recording request, if it had one'),
        data: jsonObject(),
      }),
    ),
  }),
);

export const schemaIndexAnswer = named(
  'SchemaIndex',
  'every public event type with the address of its JSON Schema, and the topic of each stream category',
  z.strictObject({
    topics: z.strictObject({
      unit: z.literal(TOPICS.unit),
      organization: z.literal(TOPICS.organization),
      member: z.literal(TOPICS.member),
      inflow: z.literal(TOPICS.inflow),
      applicant: z.literal(TOPICS.applicant),
      grid: z.literal(TOPICS.grid),
    }),
    events: z.array(
      z.strictObject({
        type: z.string(),
        event: z.enum(PUBLIC_EVENT_NAMES),
        version: z.int().min(1),
        schema: z.string(),
      }),
    ),
  }),
);

export const publicEventSchemaAnswer = named(
  'PublicEventSchema',
  'the JSON Schema (2020-12) of one public event type',
  z.looseObject({ $schema: z.string(), $id: z.string(), title: z.string(), type: z.literal('object') }),
);

export const commandOutcomeAnswer = named(
  'CommandOutcome',
  'what a command did (or had already done: nothing written)',
  z.strictObject({
    id: uuid(),
    streamVersion: z.int().min(1).describe('the stream version after the command; also the ETag'),
    position: position(),
    transferId: uuid().optional(),
    memberId: uuid().optional().describe('an approval: the probationary member the applicant became'),
    warnings: z.array(z.string()).optional(),
    monthlyDuesFen: count().optional(),
  }),
);

/** `components.schemas` of the OpenAPI document (3.0): every answer, referring to one another by name. */
export function answerComponents(): Record<string, Record<string, unknown>> {
  const { schemas } = z.toJSONSchema(ANSWERS, {
    target: 'openapi-3.0',
    uri: (id) => `#/components/schemas/${id}`,
    unrepresentable: 'any',
  });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $id: _id, ...component } = schema as Record<string, unknown>;
      return [id, component];
    }),
  );
}

/** The 200 response's schema of a route answering with `answer`: a reference to its component. */
const stoppedOnEvent = z
  .strictObject({
    position: position(),
    eventId: z.string().nullable(),
    eventType: z.string().nullable(),
    streamId: z.string().nullable(),
    error: z.string(),
    at: z.iso.datetime(),
  })
  .nullable()
  .describe('the event it stopped on and why; null unless it failed on one');

export const adminProjectionsAnswer = named(
  'AdminProjections',
  'every projection: checkpoint, lag, a stop and why, a rebuild in progress',
  z.strictObject({
    projections: z.array(
      z.strictObject({
        name: z.string(),
        version: z.int(),
        generation: z.int(),
        status: z.enum(['running', 'stopped']),
        position: position(),
        eventsApplied: z.string().regex(/^\d+$/),
        lagEvents: count().nullable(),
        lagSeconds: z.number().min(0),
        failure: stoppedOnEvent,
        stopReason: z.string().nullable().describe('why an operator stopped it (no event failed)'),
        building: z.strictObject({ generation: z.int(), position: position() }).nullable(),
      }),
    ),
  }),
);

export const adminProjectionActionAnswer = named(
  'AdminProjectionAction',
  'the projection\u2019s live generation after the action',
  z.strictObject({
    name: z.string(),
    generation: z.int(),
    status: z.enum(['running', 'stopped']),
    position: position(),
    stopReason: z.string().nullable(),
  }),
);

export const adminRelaysAnswer = named(
  'AdminRelays',
  'every Kafka relay that has run against this database',
  z.strictObject({
    relays: z.array(
      z.strictObject({
        name: z.string(),
        status: z.enum(['running', 'stopped']),
        position: position(),
        published: count(),
        failure: stoppedOnEvent,
        updatedAt: z.iso.datetime(),
      }),
    ),
  }),
);

export const adminRelayActionAnswer = named(
  'AdminRelayAction',
  'the relay\u2019s checkpoint after the action',
  z.strictObject({ name: z.string(), position: position() }),
);

const rebuildJob = z.strictObject({
  projection: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  startedAt: z.iso.datetime(),
  startedBy: z.string(),
  finishedAt: z.iso.datetime().nullable(),
  applied: count().describe('events folded so far'),
  total: count().nullable().describe('events in the log when it started (more may arrive)'),
  eventsPerSecond: count(),
  etaSeconds: z.number().min(0).nullable(),
  generation: z.int().nullable().describe('the generation that went live, once done'),
  error: z.string().nullable(),
});

export const rebuildJobAnswer = named('RebuildJob', 'a rebuild started from this API process', rebuildJob);

export const rebuildJobsAnswer = named(
  'RebuildJobs',
  'the rebuilds this API process started, running or finished, with their progress',
  z.strictObject({ rebuilds: z.array(rebuildJob) }),
);

export const verifyAnswer = named(
  'VerifyReport',
  'every stream\u2019s hash chain recomputed; the first broken link of each broken stream',
  z.strictObject({
    ok: z.boolean(),
    streamsChecked: count(),
    eventsChecked: count(),
    brokenLinks: z.array(
      z.strictObject({
        streamId: z.string(),
        streamVersion: z.int(),
        position: position().optional(),
        eventId: z.string().optional(),
        reason: z.string(),
      }),
    ),
  }),
);

export function answerSchemaOf(answer: z.ZodType): { $ref: string } {
  const id = ANSWERS.get(answer)?.id;
  if (id === undefined) throw new Error('an answer schema must be named in ANSWERS (see answers.ts)');
  return { $ref: `#/components/schemas/${id}` };
}

// Each schema agrees with the type of the value its route sends (the result of its query on the bus):
// a compile error here means one of them changed without the other. The schema may name the values of
// a field the result types as a plain string (an enum of levels); a field `unknown` on either side is not held.
type Widened<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends readonly (infer Item)[]
        ? Widened<Item>[]
        : T extends object
          ? { [K in keyof T]: Widened<T[K]> }
          : T;
type Known<T> = unknown extends T
  ? never
  : T extends readonly (infer Item)[]
    ? Known<Item>[]
    : T extends object
      ? { [K in keyof T]: Known<T[K]> }
      : T;
type Agrees<Answer, Result> = [Known<Answer>] extends [Result]
  ? [Known<Result>] extends [Widened<Answer>]
    ? true
    : false
  : false;
type Holds<T extends true> = T;
type Answers<Q extends Query<unknown>, S extends z.ZodType> = Agrees<z.output<S>, QueryResult<Q>>;
export type AnswersAgreeWithQueries = [
  Holds<Answers<OrganizationQuery, typeof organizationAnswer>>,
  Holds<Answers<OrganizationTreeQuery, typeof organizationTreeAnswer>>,
  Holds<Answers<CoverageQuery, typeof coverageAnswer>>,
  Holds<Answers<TransfersQuery, typeof transfersAnswer>>,
  Holds<Answers<DuesQuery, typeof duesAnswer>>,
  Holds<Answers<DuesArrearsQuery, typeof arrearsAnswer>>,
  Holds<Answers<FlowingQuery, typeof flowingAnswer>>,
  Holds<Answers<LostContactQuery, typeof lostContactAnswer>>,
  Holds<Answers<DevelopmentQuery, typeof developmentAnswer>>,
  Holds<Answers<TermsQuery, typeof termsAnswer>>,
  Holds<Answers<RatingsQuery, typeof ratingsAnswer>>,
  Holds<Answers<AppraisalsQuery, typeof appraisalsAnswer>>,
  Holds<Answers<OrganizationalLifeQuery, typeof organizationalLifeAnswer>>,
  Holds<Answers<GridQuery, typeof gridAnswer>>,
  Holds<Answers<PointsQuery, typeof pointsAnswer>>,
  Holds<Answers<CommitteeQuery, typeof committeeAnswer>>,
  Holds<Answers<ShouldEstablishQuery, typeof shouldEstablishAnswer>>,
  Holds<Answers<StreamQuery, typeof streamAnswer>>,
  Holds<Answers<EventFeedQuery, typeof eventFeedAnswer>>,
  Holds<Answers<HistoryQuery, typeof memberHistoryAnswer>>,
  Holds<Agrees<z.output<typeof cloudEvent>, PublicEvent>>,
  Holds<Agrees<z.output<typeof schemaIndexAnswer>, ReturnType<typeof schemaIndex>>>,
  // The member view is built field by field from the member's state (MemberQuery's result is an open record).
  Holds<Agrees<z.output<typeof personalFields>, PersonalFields>>,
  Holds<Agrees<z.output<typeof memberAnswer>['standing'], MemberStatus>>,
  Holds<Agrees<NonNullable<z.output<typeof memberAnswer>['occupation']>, Occupation>>,
  Holds<Agrees<NonNullable<z.output<typeof memberAnswer>['pendingTransfer']>, PendingTransfer>>,
  Holds<Agrees<NonNullable<z.output<typeof memberAnswer>['left']>, Leaving>>,
  Holds<Agrees<z.output<typeof memberAnswer>['transfers'], CurrentMember['transfers']>>,
];
