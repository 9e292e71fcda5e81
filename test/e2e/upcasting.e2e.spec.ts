import { Pool } from 'pg';
import { REGISTRY_UPCASTERS } from '@registry/commands';
import { toPublicEvent } from '@registry/contracts';
import { businessDateOf } from '@registry/domain';
import { PostgresEventStore } from '@registry/event-store';
import { waitForProjections } from '@registry/projections';
import { relayMessageOf } from '@registry/relay';
import { residentId } from '../support/identifiers';
import { call, type RegistryServer, startRegistryServer } from '../support/registry-server';

// A TransferRejected stored before schema version 2 has no effectiveOn. Written here as it was then
// (straight to the log, unstamped), it is read in the new shape by every reader: the stream and
// history answers, the deciders, the read models, the feed and the relay's messages; its stored
// bytes are untouched, so the hash chains still verify.

describe('upcasting stored events', () => {
  let server: RegistryServer;
  let pool: Pool;

  beforeAll(async () => {
    server = await startRegistryServer();
    pool = new Pool({ connectionString: server.database.url, max: 2 });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await server?.close();
  });

  it('reads a version 1 rejection with the day it was recorded, everywhere, and verify still passes', async () => {
    const admin = server.token('admin');
    const orgId = (
      await call(server, 'POST', '/v1/organizations', {
        body: {
          name: '某公司党支部',
          level: 'branch',
          form: 'single',
          regionCode: '310104',
          unitIds: [],
          establishedOn: '2015-01-01',
        },
        token: admin,
      })
    ).body.id as string;
    const memberId = (
      await call(server, 'POST', '/v1/members', {
        body: {
          name: '周敏',
          idNumber: residentId('1986-03-03', 'female', 41),
          gender: 'female',
          birthDate: '1986-03-03',
          joinedOn: '2012-07-01',
          status: 'full',
          orgId,
          effectiveOn: '2016-01-01',
        },
        token: admin,
      })
    ).body.id as string;
    const initiated = await call(server, 'POST', `/v1/members/${memberId}/transfers`, {
      body: { to: { external: { name: '岳阳市某党支部', regionCode: '430602' } }, effectiveOn: '2024-01-02' },
      token: admin,
    });
    expect(initiated.status).toBe(201);
    const transferId = initiated.body.transferId as string;

    // As a build before version 2 stored it: no effectiveOn, no schemaVersion.
    const oldStore = new PostgresEventStore(pool);
    const streamId = `member-${memberId}`;
    const stored = await oldStore.append(
      streamId,
      [
        {
          id: '0190a6a2-0000-7000-8000-0000000ee001',
          type: 'TransferRejected',
          data: { memberId, transferId, reason: '对方未回执' },
          metadata: { actor: 'registrar-before-v2' },
        },
      ],
      2,
    );
    await oldStore.close();
    const raw = await pool.query<{ data: object; metadata: object; recorded_at: Date }>(
      'SELECT data, metadata, recorded_at FROM event_store.events WHERE position = $1',
      [stored.position.toString()],
    );
    expect(raw.rows[0]?.data).not.toHaveProperty('effectiveOn');
    expect(raw.rows[0]?.metadata).not.toHaveProperty('schemaVersion');
    const recordedOn = businessDateOf(raw.rows[0]!.recorded_at);

    // The store's reads: the stream answer (auditors), the history, the feed.
    const stream = await call(server, 'GET', `/v1/streams/${streamId}`, { token: server.token('auditor') });
    const rejected = (stream.body.events as { type: string; data: object; metadata: object }[]).find(
      (e) => e.type === 'TransferRejected',
    );
    expect(rejected?.data).toMatchObject({ transferId, effectiveOn: recordedOn });
    expect(rejected?.metadata).toMatchObject({ schemaVersion: 2 });
    const history = await call(server, 'GET', `/v1/members/${memberId}/history`, { token: admin });
    expect(
      (history.body.events as { type: string; effectiveOn: string }[]).find((e) => e.type === 'TransferRejected'),
    ).toMatchObject({ effectiveOn: recordedOn });
    const feed = await call(server, 'GET', `/v1/events?after=${String(stored.position - 1n)}&limit=1`, {
      token: admin,
    });
    expect((feed.body.events as { data: object }[])[0]?.data).toMatchObject({ effectiveOn: recordedOn });

    // The relay publishes what the store reads.
    const page = await server.database.eventStore.readAll({ after: stored.position - 1n, limit: 1 });
    const message = relayMessageOf(page.events[0]!, 'http://127.0.0.1:3000');
    expect(JSON.parse(message.value)).toMatchObject({ effectiveOn: recordedOn });

    // The deciders fold it: the transfer is over, so rejecting it again is a retry, and a new one may start.
    const again = await call(server, 'POST', `/v1/members/${memberId}/transfers/${transferId}/reject`, {
      body: { reason: '对方未回执' },
      token: admin,
    });
    expect(again.status).toBe(200);
    expect(again.body.streamVersion).toBe(3);

    // The read model, following the log, dates the rejection by it.
    await waitForProjections(pool, ['transfers'], stored.position, 10_000);
    const row = await pool.query<{ status: string; resolved_on: string }>(
      'SELECT status, resolved_on::text FROM reporting.transfers WHERE transfer_id = $1',
      [transferId],
    );
    expect(row.rows[0]).toEqual({ status: 'rejected', resolved_on: recordedOn });

    // New events are written in version 2, and the log still verifies.
    const cancelledTransfer = await call(server, 'POST', `/v1/members/${memberId}/transfers`, {
      body: { to: { external: { name: '岳阳市某党支部', regionCode: '430602' } }, effectiveOn: '2024-02-01' },
      token: admin,
    });
    const cancelled = await call(
      server,
      'POST',
      `/v1/members/${memberId}/transfers/${String(cancelledTransfer.body.transferId)}/cancel`,
      { body: { reason: '撤回', effectiveOn: '2024-02-03' }, token: admin },
    );
    expect(cancelled.status).toBe(200);
    const written = await pool.query<{ data: { effectiveOn: string }; metadata: { schemaVersion: number } }>(
      `SELECT data, metadata FROM event_store.events WHERE stream_id = $1 AND event_type = 'TransferCancelled'`,
      [streamId],
    );
    expect(written.rows[0]).toMatchObject({ data: { effectiveOn: '2024-02-03' }, metadata: { schemaVersion: 2 } });
    expect(REGISTRY_UPCASTERS.currentVersion('TransferCancelled')).toBe(2);
    expect((await server.database.eventStore.verify()).ok).toBe(true);
    expect(toPublicEvent(page.events[0]!, 'http://127.0.0.1:3000').data).toHaveProperty('effectiveOn', recordedOn);
  });
});
