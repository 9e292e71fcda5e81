import { applyDecorators, type ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import {
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import type { Request } from 'express';
import type { RegistryConfig } from '@registry/config';
import { Problem } from '../problems/problem-details.filter';
import type { AuthenticatedRequest } from './auth';

/** The routes that read much per request, each with its own budget per caller. */
export type RateLimitedRoutes = 'feed' | 'exports' | 'reports';

const RATE_LIMIT_KEY = 'registry:rate-limit';

/** Counts the route's requests against the caller's budget for `routes`; beyond it: 429 with Retry-After. */
export const RateLimit = (routes: RateLimitedRoutes) =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_KEY, routes),
    ApiResponse({
      status: 429,
      description: `more ${routes} requests than the caller's rate limit allows (Retry-After)`,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    }),
  );

/** The caller is the token's `sub`; a request without a principal (none reach these routes today) counts by address. */
function callerOf(request: Request): string {
  const principal = (request as Partial<AuthenticatedRequest>).principal;
  return principal ? `sub:${principal.sub}` : `ip:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
}

export function rateLimitOptions(
  config: Pick<
    RegistryConfig,
    'RATE_LIMIT_WINDOW_MS' | 'RATE_LIMIT_FEED_REQUESTS' | 'RATE_LIMIT_EXPORT_REQUESTS' | 'RATE_LIMIT_REPORT_REQUESTS'
  >,
): ThrottlerModuleOptions {
  const ttl = config.RATE_LIMIT_WINDOW_MS;
  return {
    throttlers: [
      { name: 'feed', ttl, limit: config.RATE_LIMIT_FEED_REQUESTS },
      { name: 'exports', ttl, limit: config.RATE_LIMIT_EXPORT_REQUESTS },
      { name: 'reports', ttl, limit: config.RATE_LIMIT_REPORT_REQUESTS },
    ],
    // One budget per caller across all routes of a kind (the library's default key is per route).
    getTracker: (request) => callerOf(request as Request),
    generateKey: (_context, caller, routes) => `${routes}:${caller}`,
    // Its headers would be named after the throttler (`Retry-After-feed`); the problem carries a plain Retry-After.
    setHeaders: false,
  };
}

/**
 * @nestjs/throttler applies every named throttler to every route; here a route is limited only by the
 * throttler its @RateLimit names, and others not at all. Runs after AuthGuard, so the caller is known.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(this.routesOf(context) === undefined);
  }

  protected override handleRequest(request: ThrottlerRequest): Promise<boolean> {
    if (request.throttler.name !== this.routesOf(request.context)) return Promise.resolve(true);
    return super.handleRequest(request);
  }

  protected override throwThrottlingException(context: ExecutionContext, limit: ThrottlerLimitDetail): Promise<void> {
    const routes = this.routesOf(context) ?? 'these';
    throw Problem.of(
      429,
      'rate-limited',
      'Too many requests',
      `at most ${limit.limit} ${routes} requests per ${limit.ttl / 1000} s for one caller; try again after Retry-After seconds`,
      { 'Retry-After': String(Math.max(1, limit.timeToBlockExpire)) },
    );
  }

  private routesOf(context: ExecutionContext): RateLimitedRoutes | undefined {
    return this.reflector.getAllAndOverride<RateLimitedRoutes | undefined>(RATE_LIMIT_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
  }
}
