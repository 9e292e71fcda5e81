import { Controller, Get, Headers, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { type PublicEvent, toPublicEvent } from '@registry/contracts';
import type { RecordedEvent } from '@registry/event-store';
import { REGISTRY_DATABASE, type RegistryDatabase, type Role } from '@registry/runtime';
import { Roles } from './auth';
import { jsonSchemaOf } from './command-route';
import { QueryRoute } from './query-route';
import { feedQuery, feedStreamQuery } from './query-schemas';
import { parseQuery } from './read-models';
import { InvalidRequest } from './validation';

const FEED_ROLES: Role[] = ['integrator', 'admin'];
const HEARTBEAT_MS = 15_000;

/** Every stored event has a public contract (a unit test holds the domain to it); a miss here is a bug, said loudly. */
function publicEventsOf(events: readonly RecordedEvent[]): PublicEvent[] {
  return events.map((event) => toPublicEvent(event));
}

const categoriesOf = (category: string | undefined): string[] | undefined =>
  category ? category.split(',') : undefined;

@ApiTags('integration')
@Controller('v1/events')
export class EventFeedController {
  constructor(@Inject(REGISTRY_DATABASE) private readonly database: RegistryDatabase) {}

  @QueryRoute({
    summary:
      'The public event feed, paged by global position: CloudEvents in structured form, at least once, in log order',
    query: feedQuery,
    roles: FEED_ROLES,
  })
  async page(@Query() query: unknown) {
    const q = parseQuery(feedQuery, query);
    const page = await this.database.eventStore.readAll({
      after: BigInt(q.after),
      limit: q.limit,
      categories: categoriesOf(q.category),
    });
    return {
      events: publicEventsOf(page.events),
      /** Pass as `after` for the next page: it moves past events the category filter left out. */
      next: page.checkpoint.toString(),
      caughtUp: page.caughtUp,
    };
  }

  @Get('stream')
  @Roles(...FEED_ROLES)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'The same events as server-sent events, live: each `id` is the global position; reconnect with Last-Event-ID to resume',
  })
  @ApiProduces('text/event-stream')
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'resume after this position (what the last `id:` line said)',
  })
  @ApiQuery({
    name: 'after',
    required: false,
    schema: jsonSchemaOf(feedStreamQuery.shape.after) as never,
    description: 'start after this position when there is no Last-Event-ID',
  })
  @ApiQuery({ name: 'category', required: false, schema: jsonSchemaOf(feedStreamQuery.shape.category) as never })
  @ApiResponse({
    status: 200,
    description:
      'text/event-stream: `id:` position, `event:` type, `data:` the CloudEvent; a comment line every 15 s keeps it open',
  })
  @ApiResponse({ status: 400, description: 'invalid query parameters or Last-Event-ID, each named in errors[]' })
  @ApiResponse({ status: 401, description: 'no or bad bearer token' })
  @ApiResponse({ status: 403, description: 'not an integrator' })
  stream(
    @Query() query: unknown,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    const q = parseQuery(feedStreamQuery, query);
    if (lastEventId !== undefined && !/^\d{1,19}$/.test(lastEventId)) {
      throw new InvalidRequest(
        [{ field: 'Last-Event-ID', reason: 'must be a global position (the id of the last event received)' }],
        'the Last-Event-ID header is invalid',
      );
    }
    const after = BigInt(lastEventId ?? q.after);
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write('retry: 2000\n\n');

    const write = (chunk: string): Promise<void> =>
      response.write(chunk) ? Promise.resolve() : new Promise((resolve) => response.once('drain', () => resolve()));
    const subscription = this.database.eventStore.subscribe({
      after,
      categories: categoriesOf(q.category),
      batchSize: 500,
      handle: async (events) => {
        for (const event of publicEventsOf(events)) {
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
