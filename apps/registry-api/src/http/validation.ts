import { z } from 'zod';
import {
  addDays,
  businessDateOf,
  checkCreditCode,
  checkExistingRegionCode,
  checkRegionCode,
  type IdentifierCheck,
  isRealDate,
} from '@registry/domain';

export interface FieldError {
  readonly field: string;
  readonly reason: string;
}

/** A request that failed validation: every bad field named, nothing executed. */
export class InvalidRequest extends Error {
  override readonly name = 'InvalidRequest';

  constructor(
    readonly errors: readonly FieldError[],
    detail = 'the request has invalid fields',
  ) {
    super(detail);
  }
}

const fieldName = (path: readonly PropertyKey[]): string =>
  path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('') ||
  '(body)';

/**
 * Zod issues as field errors. Messages describe the rule, never repeat the value (it may be personal). Parse with
 * `reportInput: true`: without the input every wrong type would read as a missing field.
 */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: fieldName([...issue.path, key]), reason: 'unknown field' }));
    }
    if (issue.code === 'invalid_type' && issue.input === undefined) {
      return [{ field: fieldName(issue.path), reason: 'required' }];
    }
    return [{ field: fieldName(issue.path), reason: issue.message }];
  });
}

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidRequest(
      [{ field: '(body)', reason: 'must be a JSON object' }],
      'the request body must be a JSON object',
    );
  }
  const parsed = schema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw new InvalidRequest(fieldErrors(parsed.error));
  return parsed.data;
}

export const isUuid = (value: string): boolean => z.uuid().safeParse(value).success;

export function parseUuid(value: string, field: string): string {
  if (!isUuid(value)) throw new InvalidRequest([{ field, reason: 'must be a UUID' }]);
  return value.toLowerCase();
}

/** "Today" for business dates (the date in Beijing). */
export function businessToday(now = new Date()): string {
  return businessDateOf(now);
}

/** A real day, from 1900 on (no member or unit of the registry predates it). */
export function realDate(value: string): boolean {
  return isRealDate(value) && Number(value.slice(0, 4)) >= 1900;
}

const checked =
  (check: (value: string) => IdentifierCheck) => (value: string, context: z.core.$RefinementCtx<string>) => {
    const result = check(value);
    if (!result.ok) context.addIssue({ code: 'custom', message: result.reason });
  };

/** The largest value of a PostgreSQL `integer` column (read models store amounts of fen in them). */
export const MAX_INTEGER_COLUMN = 2_147_483_647;
/** The largest global position: event positions are PostgreSQL `bigint`. */
export const MAX_GLOBAL_POSITION = 9_223_372_036_854_775_807n;

const POSITION_DIGITS = /^\d{1,19}$/;

export const isGlobalPosition = (value: string): boolean =>
  POSITION_DIGITS.test(value) && BigInt(value) <= MAX_GLOBAL_POSITION;

/** A global position in a query string, kept as a decimal string (it may exceed a JS number). */
export const globalPosition = (message: string) =>
  z
    .string()
    .regex(POSITION_DIGITS, message)
    .refine(
      (value) => !POSITION_DIGITS.test(value) || BigInt(value) <= MAX_GLOBAL_POSITION,
      `must be at most ${MAX_GLOBAL_POSITION}`,
    );

export const uuid = () => z.uuid({ message: 'must be a UUID' }).transform((value) => value.toLowerCase());
// U+0000 cannot be stored in PostgreSQL text or jsonb; the other C0 controls (bar tab and newline) have no place in
// a name or a reason and would reach every read model and consumer.
// eslint-disable-next-line no-control-regex
const WITHOUT_CONTROL_CHARACTERS = /^[^\x00-\x08\x0B-\x1F]*$/;
// Half of a UTF-16 surrogate pair ("\ud800" in JSON) is no character: PostgreSQL's jsonb refuses it.
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Every free-text field of a body: trimmed, non-empty, bounded, without control characters or lone surrogates. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must have at most ${max} characters`)
    .regex(WITHOUT_CONTROL_CHARACTERS, 'must not contain control characters (tab and newline are allowed)')
    .refine((value) => !LONE_SURROGATE.test(value), 'must be well-formed Unicode (no lone surrogate)');
export const isoDate = () => z.string().refine(realDate, 'must be a real date YYYY-MM-DD (from 1900)');
export const month = () => z.string().regex(/^(19|20)\d{2}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
export const fen = () =>
  z
    .number({ message: 'must be a number of fen' })
    .int('must be a whole number of fen')
    .min(0, 'must not be negative')
    .max(MAX_INTEGER_COLUMN, `must be at most ${MAX_INTEGER_COLUMN} fen`);
/** 6 digits with a known province prefix: a retired code stays valid (an ID number's area, a party elsewhere). */
export const regionCode = () =>
  z.string().superRefine(checked(checkRegionCode)).describe('6-digit GB/T 2260 region code');
/** Where a unit or organisation is now: a code in use, of a county, city or province. */
export const existingRegionCode = () =>
  z
    .string()
    .superRefine(checked(checkExistingRegionCode))
    .describe('6-digit GB/T 2260 code of an existing county, city or province');
export const creditCode = () =>
  z.string().superRefine(checked(checkCreditCode)).describe('18-character unified social credit code (GB 32100)');

/** A date that has happened, give or take a day for callers in other time zones: later ones are typing errors (issue 12). */
export const notAfterTomorrow = () =>
  isoDate().refine(
    (date) => date <= addDays(businessToday(), 1),
    'must not be more than 1 day after today (the registry records what has happened)',
  );
