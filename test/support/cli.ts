import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { EventToAppend } from '@registry/event-store';
import { cleanEnvironment, startNode } from './processes';

export const repositoryRoot = resolve(__dirname, '../..');
const cli = join(repositoryRoot, 'dist/apps/cli/src/main.js');

/** Compiles the CLI as `npm run cli` does, for tests that run it as a process. */
export function buildCli(): void {
  execFileSync(join(repositoryRoot, 'node_modules/.bin/nest'), ['build', 'cli'], {
    cwd: repositoryRoot,
    stdio: 'pipe',
  });
}

/** Runs the built CLI with only `env` (and PATH) in its environment; its exit code and output. */
export async function runCli(
  env: Record<string, string>,
  args: readonly string[],
): Promise<{ code: number | string; output: string }> {
  const started = startNode(cli, cleanEnvironment(env), repositoryRoot, args);
  const code = await started.exited();
  return { code, output: started.output() };
}

/** A dues payment as the command side records it, for tests that write the log directly. */
export function duesPaid(amountFen: number): EventToAppend {
  return {
    id: randomUUID(),
    type: 'DuesPaid',
    data: { amountFen, paidOn: '2026-11-30' },
    metadata: { actor: 'zhang.wei', correlationId: randomUUID() },
  };
}
