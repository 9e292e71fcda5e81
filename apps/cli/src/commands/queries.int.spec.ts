import { Test, type TestingModule } from '@nestjs/testing';
import { residentId } from '../../../../test/support/identifiers';
import { call, type RegistryServer, startRegistryServer } from '../../../../test/support/registry-server';
import { CliModule } from '../cli.module';
import { HistoryCommand } from './history.command';
import { OrganizationalLifeCommand, RatingsCommand, TermsCommand, TreeCommand } from './reports.command';

// The CLI reads through the same query handlers as the API: what `history` and `tree` print is
// what GET /v1/members/{id}/history and GET /v1/organizations/{id}/tree answer.

let server: RegistryServer;
let cli: TestingModule;
const ids = {} as Record<'root' | 'branch' | 'member', string>;

async function printed(run: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    await run();
  } finally {
    spy.mockRestore();
  }
  return lines;
}

beforeAll(async () => {
  server = await startRegistryServer();
  const establish = async (body: Record<string, unknown>) =>
    (await call(server, 'POST', '/v1/organizations', { body })).body.id as string;
  ids.root = await establish({
    name: '徐汇区两新组织党委',
    level: 'committee',
    form: 'regional',
    regionCode: '310104',
    unitIds: [],
    establishedOn: '2015-01-01',
  });
  ids.branch = await establish({
    name: '漕河泾软件行业党支部',
    level: 'branch',
    form: 'industry',
    parentId: ids.root,
    regionCode: '310104',
    unitIds: [],
    establishedOn: '2016-01-01',
  });
  const registered = await call(server, 'POST', '/v1/members', {
    body: {
      name: '陈静',
      idNumber: residentId('1988-04-02', 'female', 31),
      gender: 'female',
      birthDate: '1988-04-02',
      joinedOn: '2012-07-01',
      status: 'full',
      orgId: ids.branch,
      effectiveOn: '2016-03-01',
    },
  });
  ids.member = registered.body.id as string;
  await call(server, 'POST', `/v1/members/${ids.member}/lost-contact`, { body: { since: '2023-05-01' } });
  const elected = await call(server, 'POST', `/v1/organizations/${ids.branch}/committee`, {
    body: { electedOn: '2020-04-01', members: [{ memberId: ids.member, role: 'secretary' }] },
  });
  expect(elected.status).toBe(200);
  const terms = await call(
    server,
    'GET',
    `/v1/reports/terms?orgId=${ids.root}&status=overdue&minPosition=${String(elected.body.position)}`,
  );
  expect(terms.status).toBe(200);
  const rated = await call(server, 'POST', `/v1/organizations/${ids.branch}/ratings`, {
    body: { year: 2023, stars: 2, ratedOn: '2024-01-15' },
  });
  expect(rated.status).toBe(200);
  const ratings = await call(
    server,
    'GET',
    `/v1/reports/ratings?orgId=${ids.root}&year=2023&minPosition=${String(rated.body.position)}`,
  );
  expect(ratings.status).toBe(200);
  const met = await call(server, 'POST', `/v1/organizations/${ids.branch}/meetings`, {
    body: { kind: 'general-meeting', heldOn: '2024-02-10', topic: '换届筹备', attendeeIds: [ids.member] },
  });
  expect(met.status).toBe(200);
  const life = await call(
    server,
    'GET',
    `/v1/reports/organizational-life?orgId=${ids.root}&from=2024-01&to=2024-06&minPosition=${String(met.body.position)}`,
  );
  expect(life.status).toBe(200);
  const tree = await call(
    server,
    'GET',
    `/v1/organizations/${ids.root}/tree?asOf=2024-01-01&minPosition=${String(registered.body.position)}`,
  );
  expect(tree.status).toBe(200);
  cli = await Test.createTestingModule({ imports: [CliModule.register(server.config)] }).compile();
  await cli.init();
}, 120_000);

afterAll(async () => {
  await cli?.close();
  await server?.close();
});

it('prints a member’s history as the API answers it, without personal fields', async () => {
  const lines = await printed(() => cli.get(HistoryCommand).run(['member', ids.member.toUpperCase()]));
  const { events } = (await call(server, 'GET', `/v1/members/${ids.member}/history`)).body as {
    events: { streamVersion: number; recordedAt: string; effectiveOn: string; type: string }[];
  };
  expect(events.map((e) => e.type)).toEqual(['MemberRegistered', 'MemberLostContact']);
  expect(lines).toHaveLength(events.length);
  events.forEach((event, i) =>
    expect(lines[i]).toMatch(
      new RegExp(
        `^v${event.streamVersion} {2}recorded ${event.recordedAt} {2}effective ${event.effectiveOn} {2}by registrar-tester {2}${event.type} `,
      ),
    ),
  );
  expect(lines.join('\n')).not.toContain('陈静');
  expect(lines.join('\n')).not.toContain('personal');
});

it('refuses the history of an aggregate that has none', async () => {
  await expect(cli.get(HistoryCommand).run(['unit', ids.member])).rejects.toThrow(
    `unit ${ids.member} is not registered`,
  );
});

it('prints the tree of the read model as of a date', async () => {
  const lines = await printed(() => cli.get(TreeCommand).run([], { asOf: '2024-01-01', root: ids.root }));
  expect(lines).toEqual([
    'as of 2024-01-01',
    '徐汇区两新组织党委 [committee/regional] members 1 (full 1, probationary 0) flowing in 0 out 0',
    '  漕河泾软件行业党支部 [branch/industry] members 1 (full 1, probationary 0) flowing in 0 out 0',
  ]);
});

it('prints the terms report as a table and as CSV', async () => {
  const table = await printed(() => cli.get(TermsCommand).run([], { org: ids.root, status: 'overdue' }));
  expect(table[0]).toMatch(/^terms overdue as of \d{4}-\d{2}-\d{2}: 1$/);
  expect(table[2]).toBe('2023-04-01  2023-04-01  2020-04-01  -           漕河泾软件行业党支部');
  const csv = await printed(() => cli.get(TermsCommand).run([], { org: ids.root, status: 'overdue', format: 'csv' }));
  // RFC 4180: every record ends with CRLF.
  expect(csv).toEqual([
    'orgId,name,electedOn,termEndsOn,postponedUntil,dueOn\r',
    `${ids.branch},漕河泾软件行业党支部,2020-04-01,2023-04-01,,2023-04-01\r`,
  ]);
  await expect(cli.get(TermsCommand).run([], {})).rejects.toThrow('--org <id> is required');
});

it('prints the ratings report as a table and as CSV', async () => {
  const table = await printed(() => cli.get(RatingsCommand).run([], { org: ids.root, year: 2023 }));
  expect(table).toEqual([
    'ratings for 2023: 1★ 0  2★ 1  3★ 0  4★ 0  5★ 0',
    'stars  band       rated on    organisation',
    '    2  rectify    2024-01-15  漕河泾软件行业党支部',
  ]);
  const csv = await printed(() => cli.get(RatingsCommand).run([], { org: ids.root, year: 2023, format: 'csv' }));
  expect(csv).toEqual(['orgId,name,stars,band,ratedOn\r', `${ids.branch},漕河泾软件行业党支部,2,rectify,2024-01-15\r`]);
});

it('prints the organisational-life report as a table and as CSV, and the absent members', async () => {
  const run = (options: Record<string, unknown>) =>
    printed(() => cli.get(OrganizationalLifeCommand).run([], { org: ids.root, from: '2024-01', ...options }));
  expect(await run({ to: '2024-06' })).toEqual([
    'organisational life 2024-01 to 2024-06: 1 organisations short',
    'kind               required  held  met  organisation',
    'general-meeting           2     1  NO   漕河泾软件行业党支部',
    'group-meeting             6     0  NO   漕河泾软件行业党支部',
    'party-lecture             2     0  NO   漕河泾软件行业党支部',
    'theme-day                 6     0  NO   漕河泾软件行业党支部',
  ]);
  const csv = await run({ to: '2024-06', format: 'csv' });
  expect(csv.slice(0, 2)).toEqual([
    'orgId,name,kind,required,held,met,missed\r',
    `${ids.branch},漕河泾软件行业党支部,general-meeting,2,1,false,1\r`,
  ]);
  expect(await run({ to: '2024-12', absent: true, format: 'csv' })).toEqual([
    'orgId,name,memberId,lastAttendedOn\r',
    `${ids.branch},漕河泾软件行业党支部,${ids.member},2024-02-10\r`,
  ]);
  await expect(run({ to: '2023-12' })).rejects.toThrow('--to must not be before --from');
});
