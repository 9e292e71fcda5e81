import { Command, CommandRunner } from 'nest-commander';
import { readCheckpoints, retryRelay, skipFailedEvent } from '@registry/relay';
import { CliDatabase } from '../cli-database';

@Command({
  name: 'relay',
  arguments: '[action] [name] [position]',
  description:
    'list the Kafka relays with checkpoint and any stop; `retry <name>` tries the failed event again; `skip <name> <position>` skips that one event (recorded for audit; integrators never receive it)',
})
export class RelayCommand extends CommandRunner {
  constructor(private readonly database: CliDatabase) {
    super();
  }

  async run([action = 'list', name, position]: string[]): Promise<void> {
    const database = await this.database.open();
    if (action === 'retry' && name) {
      const checkpoint = await retryRelay(database.pool, name);
      process.stdout.write(`relay ${name}: running again after position ${checkpoint.position.toString()}\n`);
      return;
    }
    if (action === 'skip' && name && position && /^\d+$/.test(position)) {
      const checkpoint = await skipFailedEvent(
        database.pool,
        name,
        BigInt(position),
        `cli:${process.env.USER ?? 'operator'}`,
      );
      process.stdout.write(
        `relay ${name}: skipped the event at position ${position}; running after ${checkpoint.position.toString()}\n`,
      );
      return;
    }
    if (action !== 'list') throw new Error('usage: relay [list | retry <name> | skip <name> <position>]');
    const checkpoints = await readCheckpoints(database.pool);
    if (checkpoints.length === 0)
      process.stdout.write('no relay has run against this database (set KAFKA_BROKERS to start one)\n');
    for (const c of checkpoints) {
      process.stdout.write(
        `${c.name.padEnd(10)} ${c.status.padEnd(8)} position ${c.position.toString()} published ${c.published} updated ${c.updatedAt.toISOString()}\n`,
      );
      if (c.failure) {
        process.stdout.write(
          `  stopped at position ${c.failure.position.toString()} event ${c.failure.eventId ?? '?'} (${c.failure.eventType ?? '?'} in ${c.failure.streamId ?? '?'}): ${c.failure.error}\n`,
        );
        process.stdout.write(
          `  fix the cause, then: relay retry ${c.name}   or   relay skip ${c.name} ${c.failure.position.toString()}\n`,
        );
        process.exitCode = 3;
      }
    }
  }
}
