import { z } from 'zod';
import { businessToday, fieldErrors, type InvalidRequest, isoDate, month, parseBody, text } from './validation';

describe('request validation helpers', () => {
  it('takes today in Beijing, which turns at 16:00 UTC', () => {
    expect(businessToday(new Date('2026-11-23T15:59:59Z'))).toBe('2026-11-23');
    expect(businessToday(new Date('2026-11-23T16:00:00Z'))).toBe('2026-11-24');
  });

  it('accepts real dates and months only', () => {
    expect(isoDate().safeParse('2024-02-29').success).toBe(true);
    expect(isoDate().safeParse('2023-02-29').success).toBe(false);
    expect(isoDate().safeParse('2024-2-1').success).toBe(false);
    expect(month().safeParse('2024-12').success).toBe(true);
    expect(month().safeParse('2024-00').success).toBe(false);
  });

  it('names nested and unknown fields', () => {
    const schema = z.strictObject({ to: z.strictObject({ orgId: z.string() }), months: z.array(month()) });
    const parsed = schema.safeParse({ to: { orgId: 1, extra: true }, months: ['2024-01', 'x'], other: 1 });
    expect(parsed.success).toBe(false);
    expect(
      fieldErrors(parsed.error!)
        .map((e) => e.field)
        .sort(),
    ).toEqual(['months[1]', 'other', 'to.extra', 'to.orgId']);
  });
});

describe('parseBody', () => {
  const schema = z.strictObject({ name: z.string(), effectiveOn: isoDate() });
  const errorsOf = (body: unknown) => {
    try {
      parseBody(schema, body);
    } catch (error) {
      return (error as InvalidRequest).errors;
    }
    throw new Error('the body was accepted');
  };

  it('calls a missing field required, and a field of the wrong type by its rule', () => {
    expect(errorsOf({ name: 5 })).toEqual([
      { field: 'name', reason: 'Invalid input: expected string, received number' },
      { field: 'effectiveOn', reason: 'required' },
    ]);
  });
});

describe('free text', () => {
  it('refuses half a surrogate pair and keeps whole ones', () => {
    expect(text(20).safeParse('党支部\ud800').success).toBe(false);
    expect(text(20).safeParse('\udc00党支部').success).toBe(false);
    expect(text(20).safeParse('党支部😀').success).toBe(true);
  });
});
