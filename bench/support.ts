import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, startEmbeddedPostgres, withDatabase } from '@registry/postgres';

export interface BenchServer {
  readonly describe: string;
  /** A fresh, empty database on the server. */
  database(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * BENCH_DATABASE_URL when set; otherwise a durable embedded PostgreSQL (fsync and synchronous
 * commit on, the defaults) in a temporary directory, removed afterwards.
 */
export async function benchServer(): Promise<BenchServer> {
  const external = process.env.BENCH_DATABASE_URL;
  let adminUrl: string;
  let stop = (): Promise<void> => Promise.resolve();
  let describe: string;
  if (external) {
    adminUrl = external;
    describe = 'PostgreSQL from BENCH_DATABASE_URL';
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'registry-bench-'));
    const { chmodSync } = await import('node:fs');
    chmodSync(dir, 0o711);
    const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
    adminUrl = server.url;
    stop = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
    describe = 'embedded PostgreSQL (durable defaults: fsync on, synchronous_commit on)';
  }
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  // BENCH_PG_SETTINGS="commit_delay=200,commit_siblings=4": server settings for this run (ALTER SYSTEM, then reload).
  const settings = (process.env.BENCH_PG_SETTINGS ?? '').split(',').filter(Boolean);
  for (const setting of settings) {
    const [name, value] = setting.split('=');
    if (!name || value === undefined || !/^[a-z_]+$/.test(name)) throw new Error(`BENCH_PG_SETTINGS: bad ${setting}`);
    await admin.query(`ALTER SYSTEM SET ${name} = '${value.replace(/'/g, "''")}'`);
  }
  if (settings.length > 0) {
    await admin.query('SELECT pg_reload_conf()');
    describe += ` with ${settings.join(', ')}`;
  }
  const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  const created: string[] = [];
  return {
    describe: `${describe}, server ${version}`,
    database: async (name) => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
      created.push(name);
      return withDatabase(adminUrl, name);
    },
    stop: async () => {
      for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      await stop();
    },
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Runs `work` and returns events per second. */
export async function rate(events: number, work: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return events / seconds;
}

export async function inParallel(workers: number, work: (worker: number) => Promise<void>): Promise<void> {
  await Promise.all(Array.from({ length: workers }, (_, worker) => work(worker)));
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

export const format = (value: number): string =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);

/** A process's CPU time so far (user + system, ms) from /proc/<pid>/stat (Linux; clock ticks of 10 ms). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself hold spaces: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The pids of `pid`'s descendants (Linux: the parent pid is field 4 of /proc/<pid>/stat). */
export function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(parent, [...(parents.get(parent) ?? []), Number(entry)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** CPU time (ms) of a process and all its descendants alive now; processes gone meanwhile are not counted. */
export function processTreeCpuMs(pid: number): number {
  let total = 0;
  for (const each of [pid, ...descendantsOf(pid)]) {
    try {
      total += processCpuMs(each);
    } catch {
      // ended between the listing and the read
    }
  }
  return total;
}
