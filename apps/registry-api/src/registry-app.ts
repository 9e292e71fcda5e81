import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { json } from 'express';
import helmet from 'helmet';
import type { RegistryConfig } from '@registry/config';
import { createRegistryProjector, createRegistryRelay, type RegistryDatabase, registryLogger } from '@registry/runtime';
import { AppModule } from './app.module';
import { serveOpenApi } from './openapi';
import { serveConsole } from './console';
import { limitRequestTime } from './http/request-timeouts';
import { requestLog } from './http/request-log';
import { ProcessMetrics } from './health/process-metrics';
import { answerClientErrorsAsProblems } from './problems/client-errors';
import { PROBLEM_TYPE_BASE, sendProblem } from './problems/problem-details.filter';

export const MAX_BODY = '1mb';

/** Body-parser failures happen before Nest's filters: answer them as problems here. */
function bodyProblems(error: unknown, _request: Request, response: Response, next: NextFunction): void {
  const failure = error as { type?: string; status?: number };
  if (failure.type === 'entity.too.large') {
    return sendProblem(response, {
      type: `${PROBLEM_TYPE_BASE}/body-too-large`,
      title: 'Body too large',
      status: 413,
      detail: `request bodies are limited to ${MAX_BODY}`,
    });
  }
  if (failure.type === 'entity.parse.failed') {
    return sendProblem(response, {
      type: `${PROBLEM_TYPE_BASE}/malformed-json`,
      title: 'Malformed JSON',
      status: 400,
      detail: 'the request body is not valid JSON',
      errors: [{ field: '(body)', reason: 'not valid JSON' }],
    });
  }
  if (typeof failure.status === 'number' && failure.status >= 400 && failure.status < 500) {
    return sendProblem(response, {
      type: `${PROBLEM_TYPE_BASE}/unreadable-body`,
      title: 'Unreadable body',
      status: failure.status,
    });
  }
  next(error);
}

/** JSON answers load nothing and may be framed by no one. */
const apiHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] },
  },
});

/** Pages this app serves: their own scripts and connections only, no inline script, no eval, never framed. */
const pageHeaders = (options: { inlineStyles: boolean }) =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': options.inlineStyles ? ["'self'", "'unsafe-inline'"] : ["'self'"],
        'img-src': ["'self'", 'data:'],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
  });

/**
 * Swagger UI at /docs: its scripts and stylesheet are files this app serves, but its page carries inline
 * `<style>` blocks and `style` attributes, and its icons are `data:` images.
 * Requests are not upgraded to https: the embedded default serves plain HTTP on loopback.
 */
const docsHeaders = pageHeaders({ inlineStyles: true });

/** The console at /console: its own script and stylesheet, nothing inline (charts are SVG built with the DOM). */
const consoleHeaders = pageHeaders({ inlineStyles: false });

const within = (path: string, prefix: string): boolean => path === prefix || path.startsWith(`${prefix}/`);

function securityHeaders(request: Request, response: Response, next: NextFunction): void {
  if (within(request.path, '/docs')) return docsHeaders(request, response, next);
  if (within(request.path, '/console')) return consoleHeaders(request, response, next);
  apiHeaders(request, response, next);
}

/** Answers under /v1 may carry personal data: no cache, shared or private, may keep them. */
function noStore(_request: Request, response: Response, next: NextFunction): void {
  response.setHeader('Cache-Control', 'no-store');
  next();
}

/** The HTTP application as `npm start` serves it; tests start the same thing on a free port. */
export async function createRegistryApp(
  config: RegistryConfig,
  database: RegistryDatabase,
): Promise<NestExpressApplication> {
  // The embedded default runs the projector in this process; with RUN_PROJECTOR=false apps/projector does.
  const projector = createRegistryProjector(config, database, new Logger('Projector'), config.RUN_PROJECTOR);
  await projector.start();
  // Likewise the relay, when KAFKA_BROKERS is set; with RUN_RELAY=false apps/relay does.
  const relay = config.RUN_RELAY ? (createRegistryRelay(config, database, new Logger('Relay')) ?? null) : null;
  relay?.start();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, database, projector, relay), {
    logger: registryLogger(config),
    bodyParser: false,
  });
  app.disable('x-powered-by');
  answerClientErrorsAsProblems(app.getHttpServer());
  limitRequestTime(app.getHttpServer(), config);
  app.use(requestLog(app.get(ProcessMetrics)));
  app.use(securityHeaders);
  app.use('/v1', noStore);
  app.use(json({ limit: MAX_BODY, type: ['application/json', 'application/*+json'] }));
  app.use(bodyProblems);
  app.set('etag', false);
  serveOpenApi(app);
  serveConsole(app);
  new Logger('Registry').debug('HTTP application created');
  return app;
}
