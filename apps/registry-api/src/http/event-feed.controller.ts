import { Controller, Get, Headers, Inject, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { EventFeedQuery } from '@registry/commands';
import type { Role } from '@registry/runtime';
import { eventFeedAnswer } from './answers';
import { Roles } from './auth';
import { jsonSchemaOf } from './command-route';
import { QueryRoute } from './query-route';
import { RateLimit } from './rate-limits';
import { feedQuery, feedStreamQuery } from './query-schemas';
import { EventStream } from './event-stream';
import { QuerySchema, ValidQuery } from './parameters';

const FEED_ROLES: Role[] = ['integrator', 'admin'];

@ApiTags('integration')
@Controller('v1/events')
@RateLimit('feed')
export class EventFeedController {
  constructor(
    @Inject(QueryBus) private readonly queries: QueryBus,
    @Inject(EventStream) private readonly events: EventStream,
  ) {}

  @QueryRoute({
    summary:
      'The public event feed, paged by global position: CloudEvents in structured form, at least once, in log order',
    query: feedQuery,
    answer: eventFeedAnswer,
    roles: FEED_ROLES,
  })
  page(@ValidQuery() query: EventFeedQuery['parameters']) {
    return this.queries.execute(new EventFeedQuery(query));
  }

  @Get('stream')
  @QuerySchema(feedStreamQuery)
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
    content: {
      'text/event-stream': {
        schema: { type: 'string', description: 'server-sent events; each `data:` is a PublicEvent as JSON' },
      },
    },
  })
  @ApiResponse({ status: 400, description: 'invalid query parameters or Last-Event-ID, each named in errors[]' })
  @ApiResponse({ status: 401, description: 'no or bad bearer token' })
  @ApiResponse({ status: 403, description: 'not an integrator' })
  @ApiResponse({
    status: 429,
    description:
      'the caller (or the registry) has as many streams open as allowed, or the feed rate limit is spent (Retry-After)',
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  })
  stream(
    @ValidQuery() query: { readonly after: string; readonly category?: string },
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    this.events.serve(query, lastEventId, request, response);
  }
}
