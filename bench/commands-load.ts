/**
 * The load generator of `npm run bench -- commands`, in a process of its own so that its CPU is
 * measured apart from the API's (and charged to neither). Plain `node:http` with keep-alive
 * sockets, one per client: far less work per request than `fetch`.
 * Input (env): BENCH_BASE, BENCH_TOKEN, BENCH_BRANCHES, BENCH_UNITS (comma-separated), BENCH_CLIENTS,
 * BENCH_WARMUP_SECONDS, BENCH_SECONDS, BENCH_CLIENT_OFFSET. Output: one JSON line on stdout.
 */
import { Agent, request } from 'node:http';
import { commandScript, pathOf } from './commands-script';

const base = new URL(process.env.BENCH_BASE!);
const token = process.env.BENCH_TOKEN!;
const branches = process.env.BENCH_BRANCHES!.split(',');
const units = process.env.BENCH_UNITS!.split(',');
const clients = Number(process.env.BENCH_CLIENTS);
const warmupMs = Number(process.env.BENCH_WARMUP_SECONDS) * 1000;
const measuredMs = Number(process.env.BENCH_SECONDS) * 1000;
const clientOffset = Number(process.env.BENCH_CLIENT_OFFSET ?? 0);
const agent = new Agent({ keepAlive: true, maxSockets: clients });

function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: base.hostname,
        port: base.port,
        path,
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          authorization: `Bearer ${token}`,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
          }),
        );
      },
    );
    sent.on('error', reject);
    sent.end(payload);
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const warmEnd = started + warmupMs;
  const end = warmEnd + measuredMs;
  const latenciesMs: number[] = [];
  const failures: string[] = [];
  let cpuAtWarmEnd: NodeJS.CpuUsage | undefined;
  const warm = setTimeout(() => (cpuAtWarmEnd = process.cpuUsage()), warmupMs);
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      let member = '';
      let transferId = '';
      for (const step of commandScript(client + clientOffset, branches, units)) {
        const now = performance.now();
        if (now >= end) return;
        const path = pathOf(step, member, transferId);
        const reply = await post(path, step.body);
        const took = performance.now() - now;
        if (reply.status >= 300) failures.push(`${reply.status} on ${path}: ${JSON.stringify(reply.body)}`);
        if (step.member === 'new') member = reply.body.id as string;
        if (step.path === 'transfers') transferId = reply.body.transferId as string;
        if (now >= warmEnd) latenciesMs.push(took);
      }
    }),
  );
  clearTimeout(warm);
  const cpu = process.cpuUsage(cpuAtWarmEnd);
  agent.destroy();
  process.stdout.write(
    `${JSON.stringify({
      latenciesMs,
      seconds: measuredMs / 1000,
      failures: failures.length,
      firstFailures: failures.slice(0, 3),
      cpuMs: (cpu.user + cpu.system) / 1000,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
