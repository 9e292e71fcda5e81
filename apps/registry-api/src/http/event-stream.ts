import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { categoriesOf } from '@registry/commands';
import { toPublicEvent } from '@registry/contracts';
import { REGISTRY_DATABASE, type RegistryDatabase } from '@registry/runtime';
import { InvalidRequest, isGlobalPosition } from './validation';

const HEARTBEAT_MS = 15_000;

/**
 * The event feed as server-sent events, live. Not a query through the bus: it answers with a
 * stream it keeps writing to until the client goes, not with a value.
 */
@Injectable()
export class EventStream {
  constructor(@Inject(REGISTRY_DATABASE) private readonly database: RegistryDatabase) {}

  serve(
    query: { readonly after: string; readonly category?: string },
    lastEventId: string | undefined,
    request: Request,
    response: Response,
  ): void {
    if (lastEventId !== undefined && !isGlobalPosition(lastEventId)) {
      throw new InvalidRequest(
        [{ field: 'Last-Event-ID', reason: 'must be a global position (the id of the last event received)' }],
        'the Last-Event-ID header is invalid',
      );
    }
    const after = BigInt(lastEventId ?? query.after);
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write('retry: 2000\n\n');

    const write = (chunk: string): Promise<void> =>
      response.write(chunk) ? Promise.resolve() : new Promise((resolve) => response.once('drain', () => resolve()));
    const subscription = this.database.eventStore.subscribe({
      after,
      categories: categoriesOf(query.category),
      batchSize: 500,
      handle: async (events) => {
        // Every stored event has a public contract (a unit test holds the domain to it); a miss here is a bug, said loudly.
        for (const event of events.map((recorded) => toPublicEvent(recorded))) {
          await write(`id: ${event.position}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
        }
      },
    });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const end = (): void => {
      clearInterval(heartbeat);
      void subscription.stop();
    };
    request.on('close', end);
    subscription.done.then(
      () => response.end(),
      (error: unknown) => {
        // Headers are gone: say it in the stream, then close; the client resumes from its last id.
        response.write(
          `event: error\ndata: ${JSON.stringify({ detail: error instanceof Error ? error.message : String(error) })}\n\n`,
        );
        response.end();
        end();
      },
    );
  }
}
