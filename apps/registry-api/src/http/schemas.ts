import { z } from 'zod';
import type {
  AcceptTransferCommand,
  AddUnitCommand,
  RegisterInflowingMemberCommand,
  AnnulProbationCommand,
  ApproveApplicantCommand,
  AppointSecretaryCommand,
  AssessDuesCommand,
  AssignInstructorCommand,
  ChangeEmploymentCommand,
  CloseUnitCommand,
  DissolveOrganizationCommand,
  ElectCommitteeCommand,
  EstablishOrganizationCommand,
  ExtendProbationCommand,
  FlowOutCommand,
  InitiateTransferCommand,
  MarkLostContactCommand,
  PayDuesCommand,
  PostponeElectionCommand,
  RecordAppraisalCommand,
  RecordLeavingCommand,
  RecordPointsCommand,
  RecordMeetingCommand,
  EstablishGridCommand,
  RecordRatingCommand,
  RegisterMemberCommand,
  RegisterUnitCommand,
  RejectTransferCommand,
  SuspendMemberCommand,
  RenameOrganizationCommand,
  SubmitApplicationCommand,
  ReparentOrganizationCommand,
} from '@registry/commands';
import { APPRAISAL_GRADES, checkResidentId, MEETING_KINDS, PROBATION_EXTENSION_MONTHS } from '@registry/domain';
import {
  businessToday,
  creditCode,
  existingRegionCode,
  fen,
  isoDate,
  month,
  notAfterTomorrow,
  realDate,
  regionCode,
  text,
  uuid,
} from './validation';

// One schema per command route of API.md. `strictObject` refuses unknown fields by name. Each
// `satisfies` holds a schema to the input of the command its routes send (for a shared schema, one of them).

export const registerUnitBody = z.strictObject({
  id: uuid().optional(),
  name: text(200),
  creditCode: creditCode(),
  kind: z.enum(['enterprise', 'social-organization']),
  regionCode: existingRegionCode(),
  industry: text(100),
  buildingId: text(100).optional(),
  parkId: text(100).optional(),
  employeeCount: z
    .number()
    .int('must be a whole number')
    .min(0, 'must not be negative')
    .max(10_000_000, 'must be at most 10000000')
    .optional(),
  registeredOn: isoDate(),
}) satisfies z.ZodType<RegisterUnitCommand['input']>;

export const assignInstructorBody = z.strictObject({ name: text(100), assignedOn: isoDate() }) satisfies z.ZodType<
  AssignInstructorCommand['input']
>;
export const effectiveOnBody = z.strictObject({ effectiveOn: isoDate() }) satisfies z.ZodType<
  CloseUnitCommand['input']
>;

export const establishOrganizationBody = z.strictObject({
  id: uuid().optional(),
  name: text(200),
  level: z.enum(['committee', 'general-branch', 'branch']),
  form: z.enum(['single', 'joint', 'building', 'regional', 'industry', 'flowing']),
  parentId: uuid().optional(),
  regionCode: existingRegionCode(),
  unitIds: z.array(uuid()).max(1000),
  establishedOn: isoDate(),
}) satisfies z.ZodType<EstablishOrganizationCommand['input']>;

export const gridBody = z.strictObject({
  id: uuid().optional(),
  name: text(200),
  regionCode: existingRegionCode(),
  leadOrgId: uuid().describe('the lead organisation: its latest rating by establishedOn has 4 stars or more'),
  unitIds: z
    .array(uuid())
    .max(1000)
    .refine((ids) => new Set(ids).size === ids.length, 'must not name a unit twice'),
  establishedOn: isoDate(),
}) satisfies z.ZodType<EstablishGridCommand['input']>;

export const addUnitBody = z.strictObject({ unitId: uuid(), effectiveOn: isoDate() }) satisfies z.ZodType<
  AddUnitCommand['input']
>;
export const reparentBody = z.strictObject({ parentId: uuid(), effectiveOn: isoDate() }) satisfies z.ZodType<
  ReparentOrganizationCommand['input']
>;
export const renameBody = z.strictObject({ name: text(200), effectiveOn: isoDate() }) satisfies z.ZodType<
  RenameOrganizationCommand['input']
>;
export const secretaryBody = z.strictObject({ memberId: uuid(), effectiveOn: isoDate() }) satisfies z.ZodType<
  AppointSecretaryCommand['input']
>;
export const dissolveBody = z.strictObject({ effectiveOn: isoDate(), reason: text(500) }) satisfies z.ZodType<
  DissolveOrganizationCommand['input']
>;

const externalParty = z.strictObject({ name: text(200), regionCode: regionCode() });

const phone = () => z.string().regex(/^\+?[0-9][0-9 -]{4,19}$/, 'must be a phone number (digits, spaces, dashes)');
const occupation = () => z.enum(['owner', 'manager', 'technical-worker', 'mobile-talent', 'other']);

/** Who a person is: sealed with their own data key, checked against the resident ID number by `residentIdAgrees`. */
const personFields = {
  id: uuid().optional(),
  name: text(100),
  idNumber: z.string().max(18, 'must have 18 characters'),
  gender: z.enum(['male', 'female']),
  birthDate: isoDate(),
  phone: phone().optional(),
};

/** The resident ID number is well formed and agrees with the body's birth date and gender (GB 11643). */
function residentIdAgrees(
  body: { idNumber?: unknown; birthDate?: unknown; gender?: unknown },
  context: z.RefinementCtx,
): void {
  if (typeof body.idNumber !== 'string') return;
  const check = checkResidentId(body.idNumber, {
    ...(typeof body.birthDate === 'string' && realDate(body.birthDate) ? { birthDate: body.birthDate } : {}),
    ...(body.gender === 'male' || body.gender === 'female' ? { gender: body.gender } : {}),
    today: businessToday(),
  });
  if (!check.ok) context.addIssue({ code: 'custom', path: ['idNumber'], message: check.reason });
}

export const registerMemberBody = z
  .strictObject({
    ...personFields,
    joinedOn: isoDate(),
    status: z.enum(['probationary', 'full']),
    orgId: uuid(),
    unitId: uuid().optional(),
    occupation: occupation().optional(),
    effectiveOn: isoDate().optional(),
    origin: z.strictObject({ external: externalParty.extend({ letterNo: text(100) }) }).optional(),
    confirmedOn: isoDate()
      .optional()
      .describe("migrations: a full member's confirmation date (转正) as the old records give it"),
  })
  .superRefine((body, context) => {
    if (body.confirmedOn !== undefined && body.status !== 'full')
      context.addIssue({
        code: 'custom',
        path: ['confirmedOn'],
        message: 'only a full member has a confirmation date',
      });
    residentIdAgrees(body, context);
  }) satisfies z.ZodType<RegisterMemberCommand['input']>;

export const inflowingMemberBody = z
  .strictObject({
    ...personFields,
    home: externalParty,
    hostOrgId: uuid(),
    since: isoDate(),
    occupation: occupation().optional(),
    certificateNo: text(100).optional(),
  })
  .superRefine(residentIdAgrees) satisfies z.ZodType<RegisterInflowingMemberCommand['input']>;

export const transferBody = z.strictObject({
  to: z.union([z.strictObject({ orgId: uuid() }), z.strictObject({ external: externalParty })], {
    message: 'must be { orgId } or { external: { name, regionCode } }',
  }),
  effectiveOn: notAfterTomorrow(),
  letterNo: text(100).optional(),
  validUntil: isoDate().optional(),
}) satisfies z.ZodType<InitiateTransferCommand['input']>;

export const acceptTransferBody = z.strictObject({ effectiveOn: notAfterTomorrow() }) satisfies z.ZodType<
  AcceptTransferCommand['input']
>;

export const reasonBody = z.strictObject({
  reason: text(500),
  effectiveOn: isoDate().optional().describe('the day the transfer ended; default: today in Beijing'),
}) satisfies z.ZodType<RejectTransferCommand['input']>;
export const employmentBody = z.strictObject({ unitId: uuid().nullable(), effectiveOn: isoDate() }) satisfies z.ZodType<
  ChangeEmploymentCommand['input']
>;

export const flowOutBody = z.strictObject({
  since: isoDate(),
  destinationRegionCode: regionCode(),
  hostOrgId: uuid().optional(),
  certificateNo: text(100).optional(),
}) satisfies z.ZodType<FlowOutCommand['input']>;

export const lostContactBody = z.strictObject({ since: isoDate() }) satisfies z.ZodType<
  MarkLostContactCommand['input']
>;

export const assessDuesBody = z.strictObject({
  from: month(),
  category: z.enum(['employed', 'retired', 'student', 'unemployed', 'other']),
  monthlyIncomeFen: fen().optional(),
}) satisfies z.ZodType<AssessDuesCommand['input']>;

export const payDuesBody = z.strictObject({
  months: z.array(month()).min(1, 'must list at least one month').max(120),
  amountFen: fen(),
  paidOn: isoDate(),
  channel: text(50),
}) satisfies z.ZodType<PayDuesCommand['input']>;

export const extendProbationBody = z.strictObject({
  months: z
    .number({ message: 'must be a number of months' })
    .int('must be a whole number of months')
    .min(PROBATION_EXTENSION_MONTHS.min, `must be at least ${PROBATION_EXTENSION_MONTHS.min}`)
    .max(PROBATION_EXTENSION_MONTHS.max, `must be at most ${PROBATION_EXTENSION_MONTHS.max}`),
  decidedOn: isoDate(),
  reason: text(500),
}) satisfies z.ZodType<ExtendProbationCommand['input']>;

export const annulProbationBody = z.strictObject({ decidedOn: isoDate(), reason: text(500) }) satisfies z.ZodType<
  AnnulProbationCommand['input']
>;

export const decidedOnBody = z.strictObject({ decidedOn: isoDate() }) satisfies z.ZodType<
  SuspendMemberCommand['input']
>;

export const leaveBody = z.strictObject({
  reason: z.enum(['deceased', 'expelled', 'withdrew', 'self-withdrawal']),
  effectiveOn: isoDate(),
}) satisfies z.ZodType<RecordLeavingCommand['input']>;

export const applicationBody = z
  .strictObject({
    ...personFields,
    orgId: uuid(),
    unitId: uuid().optional(),
    occupation: occupation().optional(),
    appliedOn: isoDate(),
  })
  .superRefine(residentIdAgrees) satisfies z.ZodType<SubmitApplicationCommand['input']>;

const voters = () => z.int('must be a whole number').min(0).max(100_000);

export const interviewBody = z.strictObject({ interviewedOn: isoDate(), interviewerId: uuid() });
export const activistBody = z.strictObject({
  designatedOn: isoDate(),
  contactIds: z
    .array(uuid())
    .min(1, 'must name one or two full members as contacts')
    .max(2, 'must name one or two full members as contacts')
    .refine((ids) => new Set(ids).size === ids.length, 'must name two different members'),
});
export const reviewBody = z.strictObject({ reviewedOn: isoDate(), summary: text(2000) });
export const candidateBody = z.strictObject({
  designatedOn: isoDate(),
  introducerIds: z
    .array(uuid())
    .length(2, 'must name exactly two full members as introducers')
    .refine((ids) => new Set(ids).size === ids.length, 'must name two different members'),
  politicalReviewOn: isoDate(),
});
export const trainingBody = z.strictObject({
  completedOn: isoDate(),
  hours: z.int('must be a whole number of class hours').min(1).max(1_000),
});
export const admissionBody = z
  .strictObject({
    meetingOn: isoDate(),
    eligibleVoters: voters().min(1, 'must be at least 1'),
    present: voters(),
    inFavour: voters(),
  })
  .superRefine((body, context) => {
    if (body.present > body.eligibleVoters)
      context.addIssue({ code: 'custom', path: ['present'], message: 'cannot exceed eligibleVoters' });
    if (body.inFavour > body.present)
      context.addIssue({ code: 'custom', path: ['inFavour'], message: 'cannot exceed present' });
  });
export const approvalBody = z.strictObject({
  approvedOn: isoDate(),
  memberId: uuid().optional().describe('the new member’s id; the server makes one when absent'),
}) satisfies z.ZodType<ApproveApplicantCommand['input']>;
export const withdrawalBody = z.strictObject({ effectiveOn: isoDate(), reason: text(500) });

export const committeeBody = z.strictObject({
  electedOn: isoDate(),
  members: z
    .array(
      z.strictObject({
        memberId: uuid(),
        role: z.enum(['secretary', 'deputy-secretary', 'member']),
      }),
    )
    .min(1, 'must name at least the secretary')
    .max(15),
  termYears: z
    .int('must be a whole number of years')
    .min(1)
    .max(5)
    .optional()
    .describe('default: 3 for branches and general branches, 5 for committees'),
}) satisfies z.ZodType<ElectCommitteeCommand['input']>;

export const postponementBody = z.strictObject({
  until: isoDate(),
  approvedOn: isoDate(),
  reason: text(500),
}) satisfies z.ZodType<PostponeElectionCommand['input']>;

const year = () => z.int('must be a year').min(1921).max(2100);

export const appraisalBody = z.strictObject({
  year: year(),
  grade: z.enum(APPRAISAL_GRADES).describe('民主评议: 优秀, 合格, 基本合格, 不合格'),
  decidedOn: isoDate(),
}) satisfies z.ZodType<RecordAppraisalCommand['input']>;

export const ratingBody = z.strictObject({
  year: year(),
  stars: z.int('must be a whole number of stars').min(1).max(5),
  ratedOn: isoDate(),
}) satisfies z.ZodType<RecordRatingCommand['input']>;

export const meetingBody = z
  .strictObject({
    kind: z.enum(MEETING_KINDS).describe('三会一课: 党员大会, 支委会, 党小组会, 党课, 主题党日, 组织生活会'),
    heldOn: isoDate(),
    topic: text(200),
    attendeeIds: z
      .array(uuid())
      .max(500)
      .refine((ids) => new Set(ids).size === ids.length, 'must not name a member twice'),
    absences: z
      .array(z.strictObject({ memberId: uuid(), reason: text(200) }))
      .max(500)
      .optional()
      .describe('members excused, with the reason (the reason stays out of the public event)'),
  })
  .refine(
    (meeting) => {
      const named = [...meeting.attendeeIds, ...(meeting.absences ?? []).map((absence) => absence.memberId)];
      return new Set(named).size === named.length;
    },
    { message: 'a member is either present or excused, once', path: ['absences'] },
  ) satisfies z.ZodType<RecordMeetingCommand['input']>;

export const pointsBody = z.strictObject({
  year: year(),
  delta: z
    .int('must be a whole number of points')
    .min(-1_000)
    .max(1_000)
    .refine((delta) => delta !== 0, 'must add or take away points'),
  category: text(50),
  reason: text(500),
  recordedOn: isoDate(),
}) satisfies z.ZodType<RecordPointsCommand['input']>;
