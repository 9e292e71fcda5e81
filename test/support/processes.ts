import { type ChildProcess, spawn } from 'node:child_process';

/** Only what a fresh shell would have: the registry's own settings come from `env`. */
export function cleanEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG'];
  return { ...Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [k, process.env[k]])), ...env };
}

export interface Started {
  readonly child: ChildProcess;
  output(): string;
  /** The exit code, or the signal's name when the process ended on a signal (Nest re-raises SIGTERM). */
  exited(): Promise<number | string>;
}

export function startNode(
  script: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  args: readonly string[] = [],
  nodeOptions: readonly string[] = [],
): Started {
  const child = spawn(process.execPath, [...nodeOptions, script, ...args], {
    env,
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, output: () => output, exited: () => exit };
}

export async function waitForHealth(
  url: string,
  timeoutMs: number,
): Promise<{ status: number; body: unknown; afterMs: number }> {
  const started = Date.now();
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return { status: 200, body: await response.json(), afterMs: Date.now() - started };
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`no 200 from ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
