import { applyDecorators, Delete, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiHeader, ApiOperation, ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { COMMAND_ROLES, Roles } from './auth';
import { BodySchema, ETagFromStreamVersion } from './parameters';

/** The body's JSON Schema for the OpenAPI document, generated from the schema that validates it. */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  delete generated.$schema;
  return generated;
}

const OUTCOME_SCHEMA = {
  type: 'object',
  required: ['id', 'streamVersion', 'position'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    streamVersion: { type: 'integer', description: 'the stream version after the command; also the ETag' },
    position: { type: 'string', description: 'global log position, a decimal string' },
    transferId: { type: 'string', format: 'uuid' },
    memberId: {
      type: 'string',
      format: 'uuid',
      description: 'an approval: the probationary member the applicant became',
    },
    warnings: { type: 'array', items: { type: 'string' } },
    monthlyDuesFen: { type: 'integer' },
  },
};

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

/**
 * A command route: POST, registrar or admin, Idempotency-Key and If-Match, RFC 9457 problems. The
 * body's schema, named here once, documents the body and parses it for `@CommandBody()`. The status
 * is the route's (201 for creations); the answer's stream version goes out as the ETag.
 */
export function CommandRoute(options: { path?: string; summary: string; body: z.ZodType; status?: 200 | 201 }) {
  const status = options.status ?? 200;
  return applyDecorators(
    Post(options.path),
    HttpCode(status),
    ETagFromStreamVersion(),
    BodySchema(options.body),
    Roles(...COMMAND_ROLES),
    ApiBearerAuth(),
    ApiOperation({ summary: options.summary }),
    ApiBody({ schema: jsonSchemaOf(options.body) }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'same key and body: the first response again, nothing written',
    }),
    ApiHeader({
      name: 'If-Match',
      required: false,
      description: 'the ETag ("<stream version>") the command was decided against',
    }),
    ApiResponse({ status, description: 'done (or already done: nothing written)', schema: OUTCOME_SCHEMA }),
    ApiResponse({ status: 400, description: 'malformed or invalid fields, each named in errors[]', content: PROBLEM }),
    ApiResponse({ status: 401, description: 'no or bad bearer token', content: PROBLEM }),
    ApiResponse({ status: 403, description: 'outside the caller\u2019s roles', content: PROBLEM }),
    ApiResponse({ status: 404, description: 'unknown id', content: PROBLEM }),
    ApiResponse({
      status: 409,
      description: 'a registry rule refused the command; type names the rule',
      content: PROBLEM,
    }),
    ApiResponse({ status: 412, description: 'If-Match no longer matches', content: PROBLEM }),
    ApiResponse({ status: 413, description: 'body over 1 MiB', content: PROBLEM }),
    ApiResponse({ status: 422, description: 'Idempotency-Key reused with another body', content: PROBLEM }),
  );
}

/** Forgetting a person (crypto-shredding, ADR 0013): `DELETE …/personal-data`, admin only, no body. */
export function ForgetRoute(summary: string) {
  return applyDecorators(
    Delete(':id/personal-data'),
    HttpCode(200),
    ETagFromStreamVersion(),
    Roles('admin'),
    ApiBearerAuth(),
    ApiOperation({ summary }),
    ApiResponse({ status: 200, description: 'forgotten (or already forgotten)', schema: OUTCOME_SCHEMA }),
    ApiResponse({ status: 404, description: 'unknown id', content: PROBLEM }),
  );
}
