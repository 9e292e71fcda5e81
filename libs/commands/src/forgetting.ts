import type { Logger } from '@nestjs/common';
import type { ForgettingLedger } from '@registry/personal-data';
import type { CommandAnswer } from './command-executor';

/**
 * Writes a forget to the ledger outside the database (ADR 0013), every time, so that repeating a
 * forget whose ledger write failed completes it. `subjectIds` are the data keys destroyed: a person
 * admitted through the pipeline has two, the application's and the membership's.
 */
export function recordForgets(
  ledger: ForgettingLedger,
  logger: Logger,
  subjectIds: readonly string[],
  answer: CommandAnswer,
  actor: string,
): void {
  try {
    for (const subjectId of subjectIds)
      ledger.record({
        memberId: subjectId,
        forgottenAt: new Date().toISOString(),
        forgottenBy: actor,
        position: answer.position,
        streamVersion: answer.streamVersion,
      });
  } catch (error) {
    // The key is gone and the log says so, but a backup older than this forget would bring the
    // person back on restore: answer with an error so the forget is repeated (it is idempotent).
    const reason = error instanceof Error ? error.message : String(error);
    const who = subjectIds.join(', ');
    logger.error(`${who} forgotten in the database but NOT in the forgetting ledger ${ledger.path}: ${reason}`);
    throw new Error(`${who} was forgotten, but the forgetting ledger could not be written; repeat the request`, {
      cause: error,
    });
  }
}
