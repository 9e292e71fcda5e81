import { existsSync, readFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { Command, CommandRunner, Option } from 'nest-commander';
import { parsePublicKey } from '@registry/event-store';
import { checkAnchors, readAnchorFile } from '@registry/runtime';
import { CliDatabase } from '../cli-database';
import { ProgressBar } from '../progress-bar';

interface VerifyOptions {
  anchors?: string;
  publicKey?: string;
}

@Command({
  name: 'verify',
  description:
    'recompute every stream hash chain and name the first broken link of each broken stream; with --anchors, also check the log against signed anchors',
})
export class VerifyCommand extends CommandRunner {
  constructor(private readonly database: CliDatabase) {
    super();
  }

  async run(_args: string[], options: VerifyOptions = {}): Promise<void> {
    const anchorFile = options.anchors;
    if (options.publicKey && !anchorFile) throw new Error('--public-key needs --anchors <file>');
    const trusted = options.publicKey ? readPublicKey(options.publicKey) : undefined;
    const anchors = anchorFile ? readAnchors(anchorFile) : undefined;

    const { eventStore } = await this.database.open();
    const bar = new ProgressBar('verify');
    const report = await eventStore.verify({ onProgress: (done, total) => bar.update(done, total) });
    bar.finish();
    if (report.ok) {
      process.stdout.write(
        `ok: ${report.eventsChecked} events in ${report.streamsChecked} streams, every chain intact\n`,
      );
    } else {
      process.stdout.write(`TAMPERED: ${report.brokenLinks.length} broken stream(s) among ${report.streamsChecked}\n`);
      for (const link of report.brokenLinks) {
        const where = link.position === undefined ? '' : ` position ${link.position.toString()}`;
        const id = link.eventId ? ` event ${link.eventId}` : '';
        process.stdout.write(`  ${link.streamId} version ${link.streamVersion}${where}${id}: ${link.reason}\n`);
      }
      process.exitCode = 2;
    }
    if (!anchorFile || !anchors) return;

    const { held, failed } = await checkAnchors(eventStore, anchors, trusted);
    if (anchors.tornLastLine)
      process.stdout.write(`note: the last line of ${anchorFile} is cut short (a crash while writing?); ignored\n`);
    if (failed.length === 0) {
      const newest = held.at(-1);
      process.stdout.write(
        `ok: ${held.length} anchor(s) in ${anchorFile} hold${newest ? `, the newest at position ${newest.position} (${newest.anchoredAt})` : ''}` +
          `${trusted ? ', all signed by the given key' : '; signatures checked with the key each anchor carries (pass --public-key to pin it)'}\n`,
      );
      return;
    }
    process.stdout.write(`TAMPERED: ${failed.length} of ${anchors.lines.length} anchor(s) in ${anchorFile} fail\n`);
    for (const failure of failed) {
      const which = failure.anchor
        ? `anchor of position ${failure.anchor.position} (${failure.anchor.anchoredAt})`
        : 'a line';
      process.stdout.write(`  line ${failure.line}, ${which}: ${failure.reason}\n`);
    }
    process.exitCode = 2;
  }

  @Option({ flags: '--anchors <file>', description: 'an anchor file (JSON lines, as `cli anchor` writes) to check' })
  parseAnchors(value: string): string {
    return value;
  }

  @Option({
    flags: '--public-key <file>',
    description: 'the anchors must be signed by this key (PEM, from `cli anchor --public-key`)',
  })
  parsePublicKey(value: string): string {
    return value;
  }
}

function readAnchors(path: string): ReturnType<typeof readAnchorFile> {
  if (!existsSync(path)) throw new Error(`--anchors: no file ${path}`);
  const contents = readAnchorFile(path);
  if (contents.lines.length === 0) throw new Error(`--anchors: ${path} holds no anchor`);
  return contents;
}

function readPublicKey(path: string): KeyObject {
  try {
    return parsePublicKey(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--public-key ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
