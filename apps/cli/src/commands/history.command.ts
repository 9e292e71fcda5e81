import { Command, CommandRunner } from 'nest-commander';
import { CliDatabase } from '../cli-database';

@Command({
  name: 'history',
  arguments: '<kind> <id>',
  description:
    'the events of a member, organisation or unit, oldest first, with recorded and effective dates and the actor',
})
export class HistoryCommand extends CommandRunner {
  constructor(private readonly database: CliDatabase) {
    super();
  }

  async run([kind, id]: string[]): Promise<void> {
    if (!kind || !['member', 'organization', 'unit'].includes(kind) || !id)
      throw new Error('usage: history <member|organization|unit> <id>');
    const { eventStore } = await this.database.open();
    const events = await eventStore.readStream(`${kind}-${id.toLowerCase()}`);
    if (events.length === 0) throw new Error(`no ${kind} ${id}`);
    for (const event of events) {
      const effective = typeof event.metadata.effectiveOn === 'string' ? event.metadata.effectiveOn : '-';
      const actor = typeof event.metadata.actor === 'string' ? event.metadata.actor : '-';
      const data = Object.fromEntries(Object.entries(event.data).filter(([key]) => key !== 'personal'));
      process.stdout.write(
        `v${event.streamVersion}  recorded ${event.recordedAt.toISOString()}  effective ${effective}  by ${actor}  ${event.type} ${JSON.stringify(data)}\n`,
      );
    }
  }
}
