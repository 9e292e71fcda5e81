import { Command, CommandRunner } from 'nest-commander';
import { CliDatabase } from '../cli-database';
import { ProgressBar } from '../progress-bar';

@Command({
  name: 'verify',
  description: 'recompute every stream hash chain and name the first broken link of each broken stream',
})
export class VerifyCommand extends CommandRunner {
  constructor(private readonly database: CliDatabase) {
    super();
  }

  async run(): Promise<void> {
    const { eventStore } = await this.database.open();
    const bar = new ProgressBar('verify');
    const report = await eventStore.verify({ onProgress: (done, total) => bar.update(done, total) });
    bar.finish();
    if (report.ok) {
      process.stdout.write(
        `ok: ${report.eventsChecked} events in ${report.streamsChecked} streams, every chain intact\n`,
      );
      return;
    }
    process.stdout.write(`TAMPERED: ${report.brokenLinks.length} broken stream(s) among ${report.streamsChecked}\n`);
    for (const link of report.brokenLinks) {
      const where = link.position === undefined ? '' : ` position ${link.position.toString()}`;
      const id = link.eventId ? ` event ${link.eventId}` : '';
      process.stdout.write(`  ${link.streamId} version ${link.streamVersion}${where}${id}: ${link.reason}\n`);
    }
    process.exitCode = 2;
  }
}
