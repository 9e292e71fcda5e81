import { Controller, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { StreamQuery } from '@registry/commands';
import { streamAnswer } from './answers';
import { ValidQuery } from './parameters';
import { QueryRoute } from './query-route';
import { RateLimit } from './rate-limits';
import { streamQuery } from './query-schemas';

@ApiTags('audit')
@Controller('v1/streams')
@RateLimit('exports')
export class StreamsController {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {}

  @QueryRoute({
    path: ':streamId',
    summary: 'Auditors: a stream\u2019s events up to a version or business date, and the state folded from them',
    query: streamQuery,
    answer: streamAnswer,
    roles: ['auditor', 'admin'],
  })
  stream(@Param('streamId') streamId: string, @ValidQuery() query: StreamQuery['parameters']) {
    return this.queries.execute(new StreamQuery(streamId, query));
  }
}
