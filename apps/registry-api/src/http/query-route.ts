import { applyDecorators, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { type z } from 'zod';
import type { Role } from '@registry/runtime';
import { answerSchemaOf } from './answers';
import { Roles } from './auth';
import { jsonSchemaOf } from './command-route';
import { QuerySchema } from './parameters';

/** Who may read the read models: everyone but integrators (they have the event feed). */
export const READ_ROLES: Role[] = ['registrar', 'auditor', 'reporter', 'admin'];

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/**
 * A query route: GET, documented query parameters from the schema that validates them, the answer's
 * schema (named in answers.ts) and the problems.
 */
export function QueryRoute(options: {
  path?: string;
  summary: string;
  query: z.ZodObject;
  answer: z.ZodType;
  roles?: Role[];
}) {
  const shape = options.query.shape as Record<string, z.ZodType>;
  return applyDecorators(
    Get(options.path),
    QuerySchema(options.query),
    Roles(...(options.roles ?? READ_ROLES)),
    ApiBearerAuth(),
    ApiOperation({ summary: options.summary }),
    ...Object.entries(shape).map(([name, schema]) =>
      ApiQuery({
        name,
        required: !schema.safeParse(undefined).success,
        schema: jsonSchemaOf(schema) as never,
        description: schema.description,
      }),
    ),
    ApiResponse({ status: 200, description: 'the answer', schema: answerSchemaOf(options.answer) }),
    ApiResponse({ status: 400, description: 'invalid query parameters, each named in errors[]', content: PROBLEM }),
    ApiResponse({ status: 401, description: 'no or bad bearer token', content: PROBLEM }),
    ApiResponse({
      status: 403,
      description: 'outside the caller\u2019s roles or organisation scope',
      content: PROBLEM,
    }),
    ApiResponse({ status: 404, description: 'unknown id, or it did not exist on asOf', content: PROBLEM }),
    ApiResponse({
      status: 503,
      description: 'the read model has not reached minPosition in time (Retry-After)',
      content: PROBLEM,
    }),
  );
}
