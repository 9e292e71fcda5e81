import { AnswerMismatch, type OpenApiDocument, OpenApiAnswers } from '../support/openapi-answers';
import { call, type RegistryServer, startRegistryServer } from '../support/registry-server';

// The command routes of ../shared/design/API.md (tables Units, Organisations, Members), as OpenAPI paths.
const COMMAND_ROUTES = [
  'post /v1/units',
  'post /v1/units/{id}/instructors',
  'post /v1/units/{id}/close',
  'post /v1/units/{id}/instructors/withdraw',
  'post /v1/organizations',
  'post /v1/organizations/{id}/units',
  'post /v1/organizations/{id}/units/{unitId}/leave',
  'post /v1/organizations/{id}/reparent',
  'post /v1/organizations/{id}/rename',
  'post /v1/organizations/{id}/secretary',
  'post /v1/organizations/{id}/dissolve',
  'post /v1/members',
  'post /v1/members/{id}/confirm',
  'post /v1/members/{id}/employment',
  'post /v1/members/{id}/transfers',
  'post /v1/members/{id}/transfers/{transferId}/accept',
  'post /v1/members/{id}/transfers/{transferId}/reject',
  'post /v1/members/{id}/transfers/{transferId}/cancel',
  'post /v1/members/{id}/flow-out',
  'post /v1/members/{id}/flow-return',
  'post /v1/members/{id}/lost-contact',
  'post /v1/members/{id}/contact-restored',
  'post /v1/members/{id}/dues/assessments',
  'post /v1/members/{id}/dues/payments',
  'post /v1/members/{id}/leave',
  // v1 additions: probation, suspension.
  'post /v1/members/{id}/probation/extend',
  'post /v1/members/{id}/probation/annul',
  'post /v1/members/{id}/suspend',
  'post /v1/members/{id}/reinstate',
  'post /v1/inflowing-members',
  'post /v1/inflowing-members/{id}/depart',
  // v1 additions: committees and terms.
  'post /v1/organizations/{id}/committee',
  'post /v1/organizations/{id}/election-postponed',
  // v1 additions: appraisals and star ratings.
  'post /v1/members/{id}/appraisals',
  'post /v1/members/{id}/points',
  'post /v1/organizations/{id}/ratings',
  // v1 additions: organisational life (三会一课).
  'post /v1/organizations/{id}/meetings',
  // v1 additions: grids (网格联建).
  'post /v1/grids',
  'post /v1/grids/{id}/units',
  'post /v1/grids/{id}/units/{unitId}/leave',
  // v1 additions: applicants (the development pipeline).
  'post /v1/applicants',
  'post /v1/applicants/{id}/interview',
  'post /v1/applicants/{id}/activist',
  'post /v1/applicants/{id}/reviews',
  'post /v1/applicants/{id}/candidate',
  'post /v1/applicants/{id}/training',
  'post /v1/applicants/{id}/admission',
  'post /v1/applicants/{id}/approve',
  'post /v1/applicants/{id}/withdraw',
];
const QUERY_ROUTES: [string, string[]][] = [
  ['get /v1/organizations/{id}', ['asOf', 'minPosition']],
  ['get /v1/organizations/{id}/tree', ['asOf', 'depth', 'minPosition']],
  ['get /v1/coverage', ['groupBy', 'regionCode', 'asOf', 'minPosition']],
  ['get /v1/reports/transfers', ['status', 'minPosition']],
  ['get /v1/reports/dues', ['orgId', 'month', 'minPosition']],
  ['get /v1/reports/dues-arrears', ['minMonths', 'throughMonth', 'minPosition']],
  ['get /v1/reports/flowing', ['hostOrgId', 'minPosition']],
  ['get /v1/reports/should-establish', ['regionCode', 'asOf', 'minPosition']],
  ['get /v1/reports/lost-contact', ['orgId', 'minPosition']],
  ['get /v1/reports/development', ['orgId', 'year', 'minPosition']],
  ['get /v1/reports/terms', ['orgId', 'status', 'withinMonths', 'minPosition']],
  ['get /v1/reports/ratings', ['orgId', 'year', 'minPosition']],
  ['get /v1/reports/appraisals', ['orgId', 'year', 'minPosition']],
  ['get /v1/reports/points', ['orgId', 'year', 'minPosition']],
  ['get /v1/reports/organizational-life', ['orgId', 'from', 'to', 'minPosition']],
  ['get /v1/grids/{id}', ['asOf', 'minPosition']],
  ['get /v1/organizations/{id}/committee', ['asOf', 'minPosition']],
  ['get /v1/streams/{streamId}', ['toVersion', 'asOf']],
  ['get /v1/events', ['after', 'limit', 'category']],
];
const OTHER_ROUTES = [
  'delete /v1/members/{id}/personal-data',
  'get /v1/members/{id}',
  'get /v1/members/{id}/history',
  'delete /v1/inflowing-members/{id}/personal-data',
  'get /v1/applicants/{id}',
  'get /v1/applicants/{id}/history',
  'delete /v1/applicants/{id}/personal-data',
  ...QUERY_ROUTES.map(([route]) => route),
  'get /v1/events/stream',
  // Extensions of API.md, documented in docs/integration.md: the published contracts.
  'get /v1/schemas',
  'get /v1/schemas/{type}',
  // Extensions of API.md, documented in docs/console.md: what the console calls.
  'get /v1/organizations',
  'get /v1/admin/projections',
  'post /v1/admin/projections/{name}/stop',
  'post /v1/admin/projections/{name}/retry',
  'post /v1/admin/projections/{name}/skip',
  'post /v1/admin/projections/{name}/rebuild',
  'get /v1/admin/rebuilds',
  'get /v1/admin/relays',
  'post /v1/admin/relays/{name}/retry',
  'post /v1/admin/relays/{name}/skip',
  'post /v1/admin/verify',
  'get /health',
  'get /health/live',
  'get /health/ready',
  'get /metrics',
];

type Operation = {
  requestBody?: {
    content?: Record<string, { schema?: { properties?: Record<string, unknown>; required?: string[] } }>;
  };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  parameters?: { name: string; in: string }[];
};

let server: RegistryServer;
let paths: Record<string, Record<string, Operation>>;
let document: OpenApiDocument;

beforeAll(async () => {
  server = await startRegistryServer();
  const reply = await call(server, 'GET', '/docs-json', { token: null });
  expect(reply.status).toBe(200);
  paths = reply.body.paths as typeof paths;
  document = reply.body as unknown as OpenApiDocument;
}, 60_000);
afterAll(() => server?.close());

const operation = (route: string): Operation | undefined => {
  const [method, path] = route.split(' ') as [string, string];
  return paths[path]?.[method];
};

describe('the served OpenAPI document agrees with API.md', () => {
  it('has every route of API.md, and no other /v1 route', () => {
    for (const route of [...COMMAND_ROUTES, ...OTHER_ROUTES])
      expect({ route, present: operation(route) !== undefined }).toEqual({ route, present: true });
    const served = Object.entries(paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect(served.filter((route) => route.includes(' /v1/')).sort()).toEqual(
      [...COMMAND_ROUTES, ...OTHER_ROUTES].filter((r) => r.includes(' /v1/')).sort(),
    );
  });

  it.each(COMMAND_ROUTES)('%s documents its body schema, headers and problems', (route) => {
    const op = operation(route)!;
    const schema = op.requestBody?.content?.['application/json']?.schema;
    expect(schema?.properties).toBeDefined();
    expect(Object.keys(op.responses)).toEqual(
      expect.arrayContaining(['400', '401', '403', '404', '409', '412', '413', '422']),
    );
    expect((op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name)).toEqual(
      expect.arrayContaining(['Idempotency-Key', 'If-Match']),
    );
  });

  it.each(QUERY_ROUTES)('%s documents its query parameters and problems', (route, parameters) => {
    const op = operation(route)!;
    expect(
      (op.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort(),
    ).toEqual([...parameters].sort());
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '503']));
  });

  it('declares the schema of the answer of every GET route of /v1', () => {
    const gets = Object.entries(paths).filter(([path, methods]) => path.startsWith('/v1/') && methods.get);
    expect(gets.length).toBeGreaterThanOrEqual(15);
    for (const [path, methods] of gets) {
      const content = methods.get?.responses['200']?.content ?? {};
      const schemas = Object.values(content).map((media) => media.schema);
      expect({ route: `get ${path}`, schemas: schemas.length > 0 && schemas.every(Boolean) }).toEqual({
        route: `get ${path}`,
        schemas: true,
      });
    }
  });

  it('refuses, through the served document, an answer that lost a required field', async () => {
    const answers = new OpenApiAnswers(document);
    const reply = await call(server, 'GET', '/v1/schemas', { token: null });
    expect(reply.status).toBe(200);
    const { topics: _topics, ...withoutTopics } = reply.body;
    expect(() => answers.check('GET', '/v1/schemas', 200, 'application/json', reply.body)).not.toThrow();
    expect(() => answers.check('GET', '/v1/schemas', 200, 'application/json', withoutTopics)).toThrow(AnswerMismatch);
    expect(() => answers.check('GET', '/v1/schemas', 200, 'application/json', withoutTopics)).toThrow(
      /must have required property 'topics'/,
    );
  });

  it('names the body fields of API.md for a few telling routes', () => {
    const fields = (route: string) =>
      Object.keys(operation(route)!.requestBody!.content!['application/json']!.schema!.properties!).sort();
    expect(fields('post /v1/units')).toEqual([
      'buildingId',
      'creditCode',
      'employeeCount',
      'id',
      'industry',
      'kind',
      'name',
      'parkId',
      'regionCode',
      'registeredOn',
    ]);
    expect(fields('post /v1/organizations')).toEqual([
      'establishedOn',
      'form',
      'id',
      'level',
      'name',
      'parentId',
      'regionCode',
      'unitIds',
    ]);
    expect(fields('post /v1/members')).toEqual([
      'birthDate',
      'confirmedOn', // an addition for migrations (issue 12): "a migration with the confirmation date given"
      'effectiveOn',
      'gender',
      'id',
      'idNumber',
      'joinedOn',
      'name',
      'occupation',
      'orgId',
      'origin',
      'phone',
      'status',
      'unitId',
    ]);
    expect(fields('post /v1/members/{id}/transfers')).toEqual(['effectiveOn', 'letterNo', 'to', 'validUntil']);
    expect(fields('post /v1/members/{id}/dues/payments')).toEqual(['amountFen', 'channel', 'months', 'paidOn']);
    expect(fields('post /v1/members/{id}/probation/extend')).toEqual(['decidedOn', 'months', 'reason']);
    expect(fields('post /v1/members/{id}/probation/annul')).toEqual(['decidedOn', 'reason']);
    expect(fields('post /v1/members/{id}/suspend')).toEqual(['decidedOn']);
    expect(fields('post /v1/members/{id}/reinstate')).toEqual(['decidedOn']);
    expect(fields('post /v1/inflowing-members')).toEqual([
      'birthDate',
      'certificateNo',
      'gender',
      'home',
      'hostOrgId',
      'id',
      'idNumber',
      'name',
      'occupation',
      'phone',
      'since',
    ]);
    expect(fields('post /v1/applicants')).toEqual([
      'appliedOn',
      'birthDate',
      'gender',
      'id',
      'idNumber',
      'name',
      'occupation',
      'orgId',
      'phone',
      'unitId',
    ]);
    expect(fields('post /v1/applicants/{id}/interview')).toEqual(['interviewedOn', 'interviewerId']);
    expect(fields('post /v1/applicants/{id}/activist')).toEqual(['contactIds', 'designatedOn']);
    expect(fields('post /v1/applicants/{id}/reviews')).toEqual(['reviewedOn', 'summary']);
    expect(fields('post /v1/applicants/{id}/candidate')).toEqual([
      'designatedOn',
      'introducerIds',
      'politicalReviewOn',
    ]);
    expect(fields('post /v1/applicants/{id}/training')).toEqual(['completedOn', 'hours']);
    expect(fields('post /v1/applicants/{id}/admission')).toEqual([
      'eligibleVoters',
      'inFavour',
      'meetingOn',
      'present',
    ]);
    expect(fields('post /v1/applicants/{id}/approve')).toEqual(['approvedOn', 'memberId']);
    expect(fields('post /v1/applicants/{id}/withdraw')).toEqual(['effectiveOn', 'reason']);
    expect(fields('post /v1/organizations/{id}/committee')).toEqual(['electedOn', 'members', 'termYears']);
    expect(fields('post /v1/organizations/{id}/election-postponed')).toEqual(['approvedOn', 'reason', 'until']);
    expect(fields('post /v1/members/{id}/appraisals')).toEqual(['decidedOn', 'grade', 'year']);
    expect(fields('post /v1/organizations/{id}/ratings')).toEqual(['ratedOn', 'stars', 'year']);
    expect(fields('post /v1/organizations/{id}/meetings')).toEqual([
      'absences',
      'attendeeIds',
      'heldOn',
      'kind',
      'topic',
    ]);
    expect(fields('post /v1/grids')).toEqual(['establishedOn', 'id', 'leadOrgId', 'name', 'regionCode', 'unitIds']);
    expect(fields('post /v1/members/{id}/points')).toEqual(['category', 'delta', 'reason', 'recordedOn', 'year']);
  });
});
