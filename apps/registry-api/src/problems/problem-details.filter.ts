import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import {
  ContentionTooHigh,
  IdempotencyKeyReused,
  IdempotentRequestInProgress,
  NotFound,
  PreconditionFailed,
} from '@registry/commands';
import { DomainError } from '@registry/domain';
import { MasterKeyMismatch, MemberForgotten } from '@registry/personal-data';
import { InvalidToken } from '@registry/runtime';
import { type FieldError, InvalidRequest } from '../http/validation';
import { NotInReadModel, ReadModelBehind } from '@registry/projections';

export const PROBLEM_TYPE_BASE = 'https://liangxin-registry.example/problems';

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly { field: string; reason: string }[];
  /** How many field errors there were beyond the MAX_LISTED_ERRORS that `errors` lists. */
  readonly moreErrors?: number;
  /** For 409s: the domain rule that refused the command (also the last segment of `type`). */
  readonly rule?: string;
}

/** A problem lists this many field errors at most, and counts the rest: 60,000 unknown fields make a short answer. */
export const MAX_LISTED_ERRORS = 20;

function listed(errors: readonly FieldError[]): Pick<ProblemDetails, 'errors' | 'moreErrors'> {
  if (errors.length <= MAX_LISTED_ERRORS) return { errors };
  return { errors: errors.slice(0, MAX_LISTED_ERRORS), moreErrors: errors.length - MAX_LISTED_ERRORS };
}

/** An error that already knows its problem (401, 403, 404, 413, ...). */
export class Problem extends Error {
  constructor(
    readonly problem: ProblemDetails,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(problem.detail ?? problem.title);
  }

  static of(status: number, slug: string, title: string, detail?: string, headers?: Record<string, string>): Problem {
    return new Problem({ type: `${PROBLEM_TYPE_BASE}/${slug}`, title, status, ...(detail ? { detail } : {}) }, headers);
  }
}

function slug(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Rules named `*-not-found` about the addressed resource itself (no field) are 404s; about a
 * reference in the body (a field) they are refusals like any other rule.
 */
function fromDomainError(error: DomainError): ProblemDetails {
  const notFound = error.rule.endsWith('-not-found') && error.field === undefined;
  return {
    type: `${PROBLEM_TYPE_BASE}/rules/${error.rule}`,
    title: notFound ? 'Not found' : 'Refused by a registry rule',
    status: notFound ? 404 : 409,
    detail: error.message,
    rule: error.rule,
    ...(error.field ? { errors: [{ field: error.field, reason: error.message }] } : {}),
  };
}

export function toProblem(
  exception: unknown,
): { problem: ProblemDetails; headers: Record<string, string> } | undefined {
  if (exception instanceof Problem) return { problem: exception.problem, headers: { ...exception.headers } };
  const plain = (problem: ProblemDetails) => ({ problem, headers: {} });
  if (exception instanceof InvalidRequest) {
    return plain({
      type: `${PROBLEM_TYPE_BASE}/invalid-request`,
      title: 'Invalid request',
      status: 400,
      detail: exception.message,
      ...listed(exception.errors),
    });
  }
  if (exception instanceof DomainError) return plain(fromDomainError(exception));
  if (exception instanceof PreconditionFailed) {
    return {
      problem: {
        type: `${PROBLEM_TYPE_BASE}/version-mismatch`,
        title: 'Precondition failed',
        status: 412,
        detail: exception.message,
      },
      headers: { ETag: `"${exception.actualVersion}"` },
    };
  }
  if (exception instanceof IdempotencyKeyReused) {
    return plain({
      type: `${PROBLEM_TYPE_BASE}/idempotency-key-reused`,
      title: 'Idempotency key reused',
      status: 422,
      detail: exception.message,
    });
  }
  if (exception instanceof IdempotentRequestInProgress) {
    return {
      problem: {
        type: `${PROBLEM_TYPE_BASE}/rules/idempotent-request-in-progress`,
        title: 'Request in progress',
        status: 409,
        detail: exception.message,
        rule: 'idempotent-request-in-progress',
      },
      headers: { 'Retry-After': '1' },
    };
  }
  if (exception instanceof MemberForgotten) {
    return plain({
      type: `${PROBLEM_TYPE_BASE}/rules/member-forgotten`,
      title: 'Refused by a registry rule',
      status: 409,
      detail: exception.message,
      rule: 'member-forgotten',
    });
  }
  if (exception instanceof MasterKeyMismatch) {
    return plain({
      type: `${PROBLEM_TYPE_BASE}/master-key-rotated`,
      title: 'The personal-data master key was rotated',
      status: 503,
      detail: 'this process still holds the old key and writes nothing with it: it must be restarted with the new key',
    });
  }
  if (exception instanceof ContentionTooHigh) {
    return {
      problem: {
        type: `${PROBLEM_TYPE_BASE}/contention`,
        title: 'Too much contention',
        status: 503,
        detail: exception.message,
      },
      headers: { 'Retry-After': '1' },
    };
  }
  if (exception instanceof ReadModelBehind) {
    return {
      problem: {
        type: `${PROBLEM_TYPE_BASE}/read-model-behind`,
        title: 'Read model not yet up to date',
        status: 503,
        detail: exception.message,
      },
      headers: { 'Retry-After': '1' },
    };
  }
  if (exception instanceof NotFound) {
    return plain({
      type: `${PROBLEM_TYPE_BASE}/${exception.rule === undefined ? 'not-found' : `rules/${exception.rule}`}`,
      title: 'Not found',
      status: 404,
      detail: exception.message,
    });
  }
  if (exception instanceof NotInReadModel) {
    return plain({
      type: `${PROBLEM_TYPE_BASE}/not-found`,
      title: 'Not found',
      status: 404,
      detail: exception.message,
    });
  }
  if (exception instanceof InvalidToken) {
    return {
      problem: {
        type: `${PROBLEM_TYPE_BASE}/unauthenticated`,
        title: 'Unauthenticated',
        status: 401,
        detail: exception.message,
      },
      headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
    };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const body = exception.getResponse();
    const title = HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'error';
    const detail = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return plain({
      type: `${PROBLEM_TYPE_BASE}/${slug(title)}`,
      title: title.charAt(0).toUpperCase() + title.slice(1),
      status,
      ...(typeof detail === 'string' ? { detail } : {}),
    });
  }
  return undefined;
}

export function sendProblem(response: Response, problem: ProblemDetails, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/** Every error leaves the API as an RFC 9457 problem; internal errors say nothing about internals. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const known = toProblem(exception);
    if (known) return sendProblem(response, known.problem, known.headers);
    // The name and stack only: messages of unexpected errors could carry request data.
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.name) : 'unknown error');
    sendProblem(response, { type: `${PROBLEM_TYPE_BASE}/internal-error`, title: 'Internal error', status: 500 });
  }
}
