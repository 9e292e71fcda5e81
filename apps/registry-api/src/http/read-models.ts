import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { RegistryConfig } from '@registry/config';
import { waitForProjections } from '@registry/projections';
import { REGISTRY_CONFIG, REGISTRY_DATABASE, type RegistryDatabase } from '@registry/runtime';
import { fieldErrors, InvalidRequest } from './validation';

/** Every query accepts `minPosition` (read-your-writes). */
export const minPosition = () =>
  z
    .string()
    .regex(/^\d{1,19}$/, 'must be a global position (a decimal string from a command response)')
    .optional();

/** Query strings are validated like bodies: strict, every bad or unknown parameter named. */
export function parseQuery<T>(schema: z.ZodType<T>, query: unknown): T {
  const values = Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).map(([key, value]) => [
      key,
      Array.isArray(value) ? value : value,
    ]),
  );
  const parsed = schema.safeParse(values);
  if (!parsed.success)
    throw new InvalidRequest(
      fieldErrors(parsed.error).map((e) => ({ ...e, field: e.field === '(body)' ? '(query)' : e.field })),
      'the query has invalid parameters',
    );
  return parsed.data;
}

/** Reads the projections' tables through the `reporting` views, after waiting for `minPosition`. */
@Injectable()
export class ReadModels {
  readonly pool: Pool;

  constructor(
    @Inject(REGISTRY_DATABASE) database: RegistryDatabase,
    @Inject(REGISTRY_CONFIG) private readonly config: RegistryConfig,
  ) {
    this.pool = database.pool;
  }

  async read<T>(
    projections: readonly string[],
    position: string | undefined,
    work: (db: Pool) => Promise<T>,
  ): Promise<T> {
    if (position !== undefined)
      await waitForProjections(this.pool, projections, BigInt(position), this.config.READ_YOUR_WRITES_TIMEOUT_MS);
    return work(this.pool);
  }
}
