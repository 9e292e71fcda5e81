import { createHash } from 'node:crypto';
import { isSpanContextValid, TraceFlags, trace } from '@opentelemetry/api';
import type { Request, Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import type { CommandOptions } from '@registry/commands';
import { TRACEPARENT } from '@registry/contracts';
import { canonicalJson } from '@registry/event-store';
import { principalOf } from './auth';
import { requestIdOf } from './request-log';
import { businessToday, InvalidRequest } from './validation';

const HEADER_VALUE = /^[\x21-\x7e]{1,200}$/;

function header(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `If-Match: "3"` (or 3) → 3; `*` or absent → undefined. */
function ifMatchOf(request: Request): number | undefined {
  const value = header(request, 'if-match')?.trim();
  if (value === undefined || value === '*') return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(value);
  if (!match) throw new InvalidRequest([{ field: 'If-Match', reason: 'must be an ETag this API gave, such as "3"' }]);
  return Number(match[1]);
}

/**
 * What an idempotent retry must repeat: method, path and the body as canonical JSON. A body that has no canonical
 * form (a number such as 1e999, nesting deeper than the stack) fits no command either: it is refused here as it
 * would be by the body's schema, whichever of the two reads it first.
 */
function requestHashOf(request: Request): string {
  let body: string;
  try {
    body = canonicalJson((request.body ?? {}) as never);
  } catch {
    throw new InvalidRequest([
      { field: '(body)', reason: 'must hold only finite numbers and no deeply nested values' },
    ]);
  }
  return createHash('sha256').update(`${request.method} ${request.path}\n${body}`).digest('hex');
}

/**
 * The trace context a command's events keep: the request's own span when this process traces, else the
 * caller's W3C `traceparent` (so a trace begun upstream still reaches Kafka when the registry does not trace).
 */
function traceparentOf(request: Request): string | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span)) {
    const sampled = (span.traceFlags & TraceFlags.SAMPLED) !== 0 ? '01' : '00';
    return `00-${span.traceId}-${span.spanId}-${sampled}`;
  }
  const given = header(request, 'traceparent')?.trim();
  return given !== undefined && TRACEPARENT.test(given) ? given : undefined;
}

/** Ids for tracing, the caller, today's business date, If-Match and Idempotency-Key of one request. */
export function commandOptions(request: Request, response: Response): CommandOptions {
  const principal = principalOf(request);
  const given = header(request, 'x-request-id');
  const requestId = requestIdOf(request) ?? (given && HEADER_VALUE.test(given) ? given : uuidv7());
  const correlation = header(request, 'x-correlation-id');
  response.setHeader('X-Request-Id', requestId);
  const traceparent = traceparentOf(request);
  const key = header(request, 'idempotency-key');
  if (key !== undefined && !HEADER_VALUE.test(key)) {
    throw new InvalidRequest([{ field: 'Idempotency-Key', reason: 'must be 1 to 200 visible ASCII characters' }]);
  }
  const ifMatch = ifMatchOf(request);
  return {
    context: {
      today: businessToday(),
      actor: principal.sub,
      requestId,
      correlationId: correlation && HEADER_VALUE.test(correlation) ? correlation : requestId,
      ...(traceparent === undefined ? {} : { traceparent }),
    },
    ...(ifMatch === undefined ? {} : { ifMatch }),
    ...(key === undefined
      ? {}
      : {
          idempotency: {
            principal: principal.sub,
            key,
            requestHash: requestHashOf(request),
          },
        }),
  };
}
