/**
 * CPU per single-event append, split between this Node process and PostgreSQL's processes, for the
 * registry's store and for a bare autocommit INSERT (16 writers, 10 streams each, exact versions).
 *   PROFILE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/profile/append-cpu.ts
 * PostgreSQL's CPU is read from /proc for every process of the `postgres` user, so the server must run
 * on this machine and nothing else should use it meanwhile. A database `append_cpu` is made afresh.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { migrateEventStore, PostgresEventStore } from '@registry/event-store';
import { processCpuMs } from '../support';

const WRITERS = 16;
const APPENDS_EACH = 300;
const ROUNDS = 4;

const adminUrl = process.env.PROFILE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const url = new URL(adminUrl);
url.pathname = '/append_cpu';

function postgresCpuMs(): number {
  const pids = execFileSync('pgrep', ['-u', 'postgres']).toString().trim().split('\n').map(Number);
  return pids.reduce((sum, pid) => {
    try {
      return sum + processCpuMs(pid);
    } catch {
      return sum; // ended meanwhile
    }
  }, 0);
}

const payload = () => ({
  type: 'DuesPaid',
  data: { memberId: randomUUID(), month: '2024-01', amountFen: 2300, channel: 'wechat', paidOn: '2024-02-01' },
  metadata: { actor: 'bench', correlationId: randomUUID(), causationId: randomUUID(), requestId: randomUUID() },
});

async function main(): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS append_cpu');
  await admin.query('CREATE DATABASE append_cpu');
  await admin.end();
  await migrateEventStore(url.toString());
  const pool = new Pool({ connectionString: url.toString(), max: 10 });
  const store = new PostgresEventStore(pool, { pollIntervalMs: 50 });
  await pool.query(
    'CREATE TABLE bare (position bigserial PRIMARY KEY, stream_id text, version bigint, id uuid, type text, data jsonb, metadata jsonb)',
  );
  const systems: Record<string, (stream: string, version: number) => Promise<unknown>> = {
    registry: (stream, version) => store.append(`member-${stream}`, [{ id: randomUUID(), ...payload() }], version),
    'bare INSERT': (stream, version) => {
      const event = payload();
      return pool.query({
        name: 'bare_insert',
        text: 'INSERT INTO bare (stream_id, version, id, type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)',
        values: [
          stream,
          version + 1,
          randomUUID(),
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
        ],
      });
    },
  };
  console.log('| round | system | appends/s | Node µs/append | PostgreSQL µs/append |\n|---|---|---|---|---|');
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, append] of Object.entries(systems)) {
      const node = process.cpuUsage();
      const postgres = postgresCpuMs();
      const started = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, writer) => {
          const versions = new Array<number>(10).fill(0);
          for (let i = 0; i < APPENDS_EACH; i++) {
            const slot = i % versions.length;
            await append(`r${round}w${writer}x${slot}`, versions[slot]!);
            versions[slot]! += 1;
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const n = WRITERS * APPENDS_EACH;
      const nodeUs = ((usage) => (usage.user + usage.system) / n)(process.cpuUsage(node));
      const postgresUs = ((postgresCpuMs() - postgres) * 1000) / n;
      console.log(
        `| ${round} | ${name} | ${Math.round(n / seconds)} | ${nodeUs.toFixed(0)} | ${postgresUs.toFixed(0)} |`,
      );
    }
  }
  await store.close();
  await pool.end();
}

void main();
