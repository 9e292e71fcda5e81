import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Request, Response } from 'express';
import { static as serveStatic } from 'express';
import { PROBLEM_TYPE_BASE, sendProblem } from './problems/problem-details.filter';

/**
 * Where `npm run build:console` put the console: beside the built app (dist/console), or under the
 * working directory when the app runs from source (tests).
 */
export function consoleDirectory(): string | undefined {
  return [resolve(__dirname, '../../../console'), resolve(process.cwd(), 'dist/console')].find((directory) =>
    existsSync(join(directory, 'index.html')),
  );
}

/** The auditors' console: static files at /console, talking to the public API with a bearer token. */
export function serveConsole(app: NestExpressApplication): void {
  const directory = consoleDirectory();
  if (directory) {
    app.use('/console', serveStatic(directory, { index: 'index.html', fallthrough: true }));
    return;
  }
  app.use('/console', (_request: Request, response: Response) =>
    sendProblem(response, {
      type: `${PROBLEM_TYPE_BASE}/console-not-built`,
      title: 'Console not built',
      status: 503,
      detail: 'the console has not been built: run `npm run build:console` (npm start does)',
    }),
  );
}
