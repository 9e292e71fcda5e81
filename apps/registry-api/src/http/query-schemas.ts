import { z } from 'zod';
import { minPosition } from './read-models';
import { globalPosition, isoDate, month, regionCode, uuid } from './validation';

const asOf = () => isoDate().optional().describe('business date YYYY-MM-DD; default: today in Beijing');

export const organizationQuery = z.strictObject({ asOf: asOf(), minPosition: minPosition() });

export const treeQuery = z.strictObject({
  asOf: asOf(),
  depth: z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(64, 'must be at most 64')
    .optional()
    .describe('levels of children to include; counts are always subtree totals'),
  minPosition: minPosition(),
});

export const coverageQuery = z.strictObject({
  groupBy: z.enum(['region', 'industry', 'building', 'park', 'grid'], {
    message: 'must be region, industry, building, park or grid',
  }),
  regionCode: regionCode()
    .optional()
    .describe('region grouping: provinces without it, cities below a province code, counties below a city code'),
  asOf: asOf(),
  minPosition: minPosition(),
});

export const transfersQuery = z.strictObject({
  status: z.enum(['pending', 'overdue'], { message: 'must be pending or overdue' }).default('pending'),
  minPosition: minPosition(),
});

export const duesQuery = z.strictObject({ orgId: uuid(), month: month(), minPosition: minPosition() });

export const arrearsQuery = z.strictObject({
  minMonths: z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(240, 'must be at most 240')
    .default(6),
  throughMonth: month().optional().describe('last month counted; default: the month before the current one'),
  minPosition: minPosition(),
});

export const flowingQuery = z.strictObject({ hostOrgId: uuid().optional(), minPosition: minPosition() });

export const lostContactQuery = z.strictObject({ orgId: uuid().optional(), minPosition: minPosition() });

/** Read from the streams, so always at or past any committed position: `minPosition` is accepted as on every query. */
export const committeeQuery = z.strictObject({ asOf: asOf(), minPosition: minPosition() });

export const termsQuery = z.strictObject({
  orgId: uuid(),
  status: z.enum(['due', 'overdue']),
  withinMonths: z.coerce
    .number()
    .int('must be a whole number of months')
    .min(1)
    .max(60)
    .optional()
    .describe('due: terms ending within this many months (default 6)'),
  minPosition: minPosition(),
});

export const yearInSubtreeQuery = z.strictObject({
  orgId: uuid(),
  year: z.coerce.number().int('must be a year').min(1921).max(2100).optional().describe('default: last year'),
  minPosition: minPosition(),
});

export const developmentQuery = z.strictObject({
  orgId: uuid(),
  year: z.coerce.number().int('must be a year').min(1921).max(2100).optional().describe('default: this year'),
  minPosition: minPosition(),
});

export const shouldEstablishQuery = z.strictObject({
  regionCode: regionCode().optional(),
  asOf: asOf(),
  minPosition: minPosition(),
});

export const streamQuery = z.strictObject({
  toVersion: z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be 1 or more')
    .max(Number.MAX_SAFE_INTEGER, `must be at most ${Number.MAX_SAFE_INTEGER}`)
    .optional(),
  asOf: isoDate().optional().describe('only events effective on or before this business date'),
});

const position = (description: string) =>
  globalPosition('must be a global position (a decimal string)').default('0').describe(description);
const categories = () =>
  z
    .string()
    .regex(
      /^(unit|organization|member)(,(unit|organization|member))*$/,
      'must be unit, organization or member, or several joined by commas',
    )
    .optional()
    .describe('only these stream categories, e.g. member or unit,organization');

export const feedQuery = z.strictObject({
  after: position('read events after this position: 0 for the start, then the previous page\u2019s `next`'),
  limit: z.coerce
    .number({ message: 'must be a whole number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1_000, 'must be at most 1000')
    .default(100),
  category: categories(),
});

export const feedStreamQuery = z.strictObject({
  after: position('start after this position when there is no Last-Event-ID header'),
  category: categories(),
});

const monthsSpanned = (from: string, to: string): number =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;

export const organizationalLifeQuery = z
  .strictObject({
    orgId: uuid(),
    from: month().describe('first month of the period, YYYY-MM'),
    to: month().describe('last month of the period, YYYY-MM; absence is judged on its last six months'),
    minPosition: minPosition(),
  })
  .refine((query) => query.to >= query.from, { message: 'must not be before from', path: ['to'] })
  .refine((query) => monthsSpanned(query.from, query.to) <= 60, {
    message: 'a period of at most 60 months',
    path: ['to'],
  });
