import { Inject } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { Command, CommandRunner } from 'nest-commander';
import { HistoryQuery } from '@registry/commands';
import { STREAM_CATEGORIES, type StreamCategory } from '@registry/contracts';

const isCategory = (kind: string | undefined): kind is StreamCategory =>
  (STREAM_CATEGORIES as readonly (string | undefined)[]).includes(kind);

@Command({
  name: 'history',
  arguments: '<kind> <id>',
  description:
    'the events of a member, organisation or unit, oldest first, with recorded and effective dates and the actor',
})
export class HistoryCommand extends CommandRunner {
  constructor(@Inject(QueryBus) private readonly queries: QueryBus) {
    super();
  }

  async run([kind, id]: string[]): Promise<void> {
    if (!isCategory(kind) || !id) throw new Error('usage: history <member|organization|unit> <id>');
    const { events } = await this.queries.execute(new HistoryQuery(kind, id.toLowerCase()));
    for (const event of events) {
      const data = Object.fromEntries(Object.entries(event.data).filter(([key]) => key !== 'personal'));
      process.stdout.write(
        `v${event.streamVersion}  recorded ${event.recordedAt}  effective ${event.effectiveOn ?? '-'}  by ${event.actor ?? '-'}  ${event.type} ${JSON.stringify(data)}\n`,
      );
    }
  }
}
