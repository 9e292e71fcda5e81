import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';

export const PROBLEM_TYPE_BASE = 'https://liangxin-registry.example/problems';

export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail?: string;
  readonly errors?: readonly { field: string; reason: string }[];
}

function slug(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** Every error leaves the API as an RFC 9457 problem; internal errors say nothing about internals. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const problem = this.toProblem(exception);
    response.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
  }

  private toProblem(exception: unknown): ProblemDetails {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const title = HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'error';
      const detail = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      return {
        type: `${PROBLEM_TYPE_BASE}/${slug(title)}`,
        title: title.charAt(0).toUpperCase() + title.slice(1),
        status,
        ...(typeof detail === 'string' ? { detail } : {}),
      };
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : 'unknown error');
    return { type: `${PROBLEM_TYPE_BASE}/internal-error`, title: 'Internal error', status: 500 };
  }
}
