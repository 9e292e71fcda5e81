import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { exampleCreditCode, exampleResidentId } from '@registry/domain';
import { testKafka } from '../../../test/support/kafka-broker';
import { call, type RegistryServer, startRegistryServer } from '../../../test/support/registry-server';
import { createEmptyDatabase, type TestDatabase } from '../../../test/support/test-database';
import { MemberDirectory } from '../src/member-directory';
import { until } from '../../../test/support/until';

const kafka = testKafka();
if (!('brokers' in kafka)) console.warn(`[example] kafka-consumer test SKIPPED: ${kafka.skipReason}`);

('brokers' in kafka ? describe : describe.skip)('examples/kafka-consumer: a member directory fed by the relay', () => {
  const brokers = 'brokers' in kafka ? kafka.brokers : [];
  let server: RegistryServer;
  let local: TestDatabase;
  let pool: Pool;
  const prefix = `example${Date.now()}.`;

  beforeAll(async () => {
    server = await startRegistryServer({ KAFKA_BROKERS: brokers.join(','), RELAY_TOPIC_PREFIX: prefix });
    local = await createEmptyDatabase();
    pool = new Pool({ connectionString: local.url, max: 4 });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await local?.drop();
    await server?.close();
  });

  it('keeps members per organisation through registrations, a transfer and a leaving, applying each event once', async () => {
    const admin = server.token('admin');
    const post = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
      const reply = await call(server, 'POST', path, { body, token: admin });
      expect({ path, ok: reply.status === 200 || reply.status === 201 }).toEqual({ path, ok: true });
      return reply.body;
    };
    const unitId = randomUUID();
    await post('/v1/units', {
      id: unitId,
      name: '示例科技有限公司',
      creditCode: exampleCreditCode(777),
      kind: 'enterprise',
      regionCode: '310115',
      industry: 'software',
      registeredOn: '2015-01-01',
    });
    const root = randomUUID();
    const branchA = randomUUID();
    const branchB = randomUUID();
    await post('/v1/organizations', {
      id: root,
      name: '示例党委',
      level: 'committee',
      form: 'single',
      regionCode: '310115',
      unitIds: [unitId],
      establishedOn: '2016-01-01',
    });
    await post('/v1/organizations', {
      id: branchA,
      name: '第一党支部',
      level: 'branch',
      form: 'single',
      parentId: root,
      regionCode: '310115',
      unitIds: [],
      establishedOn: '2016-01-01',
    });
    await post('/v1/organizations', {
      id: branchB,
      name: '第二党支部',
      level: 'branch',
      form: 'single',
      parentId: root,
      regionCode: '310115',
      unitIds: [],
      establishedOn: '2016-01-01',
    });
    const members = [1, 2, 3].map(() => randomUUID());
    for (const [i, id] of members.entries()) {
      await post('/v1/members', {
        id,
        name: `成员${i}`,
        idNumber: exampleResidentId('1985-03-0' + String(i + 1), 'female', 900 + i, '310115'),
        gender: 'female',
        birthDate: '1985-03-0' + String(i + 1),
        joinedOn: '2010-07-01',
        status: 'probationary',
        orgId: branchA,
        effectiveOn: '2020-01-01',
      });
    }
    await post(`/v1/members/${members[0]}/confirm`, { effectiveOn: '2021-01-01' });
    const transfer = await post(`/v1/members/${members[0]}/transfers`, {
      to: { orgId: branchB },
      effectiveOn: '2024-03-01',
    });
    await post(`/v1/members/${members[0]}/transfers/${String(transfer.transferId)}/accept`, {
      effectiveOn: '2024-03-02',
    });
    await post(`/v1/members/${members[1]}/leave`, { reason: 'withdrew', effectiveOn: '2024-04-01' });

    const directory = new MemberDirectory(pool, {
      brokers,
      groupId: `example-${randomUUID()}`,
      registryUrl: server.url,
      topicPrefix: prefix,
    });
    await directory.start();
    try {
      const byOrg = async () =>
        (
          await pool.query<{ org_id: string; member_id: string; status: string }>(
            'SELECT org_id, member_id, status FROM members ORDER BY org_id',
          )
        ).rows;
      // 3 registered, 1 confirmed, a transfer initiated and accepted, 1 left.
      await until(
        async () => (await pool.query('SELECT 1 FROM processed_events')).rowCount! >= 7,
        60_000,
        'the directory to apply 7 member events',
      );
      expect((await pool.query('SELECT * FROM rejected_messages')).rows).toEqual([]);
      expect(await byOrg()).toEqual(
        expect.arrayContaining([
          { org_id: branchB, member_id: members[0], status: 'full' },
          { org_id: branchA, member_id: members[2], status: 'probationary' },
        ]),
      );
      expect(await byOrg()).toHaveLength(2);

      // Redelivery (at least once): the same ce_id again changes nothing.
      const { rows } = await pool.query<{ event_id: string }>('SELECT event_id FROM processed_events LIMIT 1');
      const feed = await call(server, 'GET', '/v1/events?after=0&category=member&limit=1', {
        token: server.token('integrator'),
      });
      const first = (
        feed.body.events as {
          id: string;
          type: string;
          position: string;
          subject: string;
          time: string;
          data: unknown;
        }[]
      )[0]!;
      expect(rows.length).toBe(1);
      const headers = {
        ce_specversion: '1.0',
        ce_id: first.id,
        ce_type: first.type,
        ce_source: 'urn:liangxin-registry',
        ce_subject: first.subject,
        ce_time: first.time,
        ce_position: first.position,
        ce_dataschema: `/v1/schemas/${first.type}`,
      };
      expect(await directory.handle(headers, JSON.stringify(first.data))).toBe('duplicate');
      // A message that breaks the published schema is parked with the reason, not applied.
      expect(
        await directory.handle({ ...headers, ce_id: randomUUID() }, JSON.stringify({ memberId: 'not-a-member' })),
      ).toBe('rejected');
      const rejected = await pool.query<{ reason: string }>('SELECT reason FROM rejected_messages');
      expect(rejected.rows[0]!.reason).toMatch(/must have required property/);
      expect(await byOrg()).toHaveLength(2);
    } finally {
      await directory.stop();
    }
  }, 120_000);
});
