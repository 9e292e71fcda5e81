import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '@registry/runtime';
import type { ProcessMetrics } from '../health/process-metrics';

/** A caller's id is kept when it is a plain token; anything else (too long, spaces, control characters) is replaced. */
const CALLERS_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const logger = new Logger('HTTP');

type IdentifiedRequest = Request & { requestId?: string };

/** The id the request log gave this request (the command's events keep it as `requestId`). */
export function requestIdOf(request: Request): string | undefined {
  return (request as IdentifiedRequest).requestId;
}

/**
 * Every request gets an id (the caller's `X-Request-Id`, or a new one) echoed in the answer, and one
 * log entry when it ends: id, method, the route's template (never the URL: no ids, no query), status,
 * duration and the caller's `sub`. Bodies and headers are never logged, so no personal field is either.
 */
export const requestLog =
  (metrics: ProcessMetrics) =>
  (request: Request, response: Response, next: NextFunction): void => {
    const given = request.header('x-request-id');
    const requestId = given !== undefined && CALLERS_REQUEST_ID.test(given) ? given : randomUUID();
    response.setHeader('X-Request-Id', requestId);
    (request as IdentifiedRequest).requestId = requestId;
    const started = process.hrtime.bigint();
    // The request's span when it is traced: it gets the route's name, and the log entry its trace id.
    const span = trace.getActiveSpan();
    response.once('finish', () => {
      const template = (request.route as { path?: string } | undefined)?.path;
      const route = template === undefined ? '(no route)' : `${request.baseUrl}${template}`;
      if (template !== undefined) span?.updateName(`${request.method} ${route}`).setAttribute('http.route', route);
      const durationMs = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      metrics.httpRequestDuration.observe(
        { method: request.method, route, status: String(response.statusCode) },
        durationMs / 1000,
      );
      logger.log({
        requestId,
        method: request.method,
        route,
        status: response.statusCode,
        durationMs,
        actor: (request as Request & { principal?: Principal }).principal?.sub ?? null,
        ...(span ? { traceId: span.spanContext().traceId } : {}),
      });
    });
    next();
  };
