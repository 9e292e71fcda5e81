import type { z } from 'zod';
import { fieldErrors, globalPosition, InvalidRequest } from './validation';

/** Every query accepts `minPosition` (read-your-writes). */
export const minPosition = () =>
  globalPosition('must be a global position (a decimal string from a command response)').optional();

/** Query strings are validated like bodies: strict, every bad or unknown parameter named. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const values = Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).map(([key, value]) => [
      key,
      Array.isArray(value) ? value : value,
    ]),
  );
  const parsed = schema.safeParse(values, { reportInput: true });
  if (!parsed.success)
    throw new InvalidRequest(
      fieldErrors(parsed.error).map((e) => ({ ...e, field: e.field === '(body)' ? '(query)' : e.field })),
      'the query has invalid parameters',
    );
  return parsed.data;
}
