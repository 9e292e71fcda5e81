import * as fc from 'fast-check';
import { addDays } from '@registry/domain';
import { creditCode, residentId } from '../support/identifiers';
import { type OpenApiDocument, OpenApiAnswers } from '../support/openapi-answers';
import { call, type Reply, type RegistryServer, startRegistryServer } from '../support/registry-server';

// Hostile query strings, path parameters and bodies against every route the served OpenAPI document lists:
// each answer is below 500 (bar a read-your-writes 503 that was asked for) and every 4xx is an RFC 9457 problem.
// Routes and parameters come from /docs-json, so a new route is fuzzed without touching this file.

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_205);
const QUERY_RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 120);
const BODY_RUNS_PER_ROUTE = Number(process.env.FUZZ_BODY_RUNS ?? 40);

let server: RegistryServer;
let document: OpenApiDocument & { paths: Record<string, Record<string, FuzzedOperation>> };
let answers: OpenApiAnswers;
let tokens: string[];
const ids = {} as Record<'unit' | 'root' | 'branch' | 'sibling' | 'member', string>;

interface Parameter {
  readonly name: string;
  readonly in: string;
  readonly required?: boolean;
  readonly schema?: { readonly enum?: readonly unknown[] };
}
interface FuzzedOperation {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

const created = (reply: Reply): string => {
  expect({ status: reply.status, body: reply.body }).toMatchObject({ status: 201 });
  return reply.body.id as string;
};

beforeAll(async () => {
  // Rate limits and stream caps would answer most of the fuzzing with a 429 before it reaches a handler.
  const unlimited = '1000000';
  server = await startRegistryServer({
    READ_YOUR_WRITES_TIMEOUT_MS: '50',
    RATE_LIMIT_FEED_REQUESTS: unlimited,
    RATE_LIMIT_EXPORT_REQUESTS: unlimited,
    RATE_LIMIT_REPORT_REQUESTS: unlimited,
    SSE_MAX_STREAMS_PER_PRINCIPAL: '10000',
    SSE_MAX_STREAMS: '10000',
  });
  const admin = server.token('admin');
  const post = (path: string, body: unknown) => call(server, 'POST', path, { body, token: admin });
  ids.unit = created(
    await post('/v1/units', {
      name: '徐汇某科技公司',
      creditCode: creditCode(901, '310104'),
      kind: 'enterprise',
      regionCode: '310104',
      industry: 'software',
      registeredOn: '2019-01-01',
    }),
  );
  const organization = { form: 'regional', regionCode: '310104', unitIds: [], establishedOn: '2020-01-01' };
  ids.root = created(await post('/v1/organizations', { ...organization, name: '上海公司党委', level: 'committee' }));
  ids.branch = created(
    await post('/v1/organizations', {
      ...organization,
      name: '某科技公司党支部',
      level: 'branch',
      form: 'single',
      parentId: ids.root,
      unitIds: [ids.unit],
    }),
  );
  ids.sibling = created(
    await post('/v1/organizations', {
      ...organization,
      name: '长宁区党总支',
      level: 'general-branch',
      parentId: ids.root,
    }),
  );
  const birthDate = addDays('1985-01-01', 901);
  ids.member = created(
    await post('/v1/members', {
      name: '刘洋',
      idNumber: residentId(birthDate, 'male', 901),
      gender: 'male',
      birthDate,
      joinedOn: '2020-03-01',
      status: 'full',
      orgId: ids.branch,
      unitId: ids.unit,
      effectiveOn: '2020-03-01',
    }),
  );
  document = (await (await fetch(`${server.url}/docs-json`)).json()) as typeof document;
  answers = new OpenApiAnswers(document);
  tokens = [admin, server.token('registrar', 'scoped-registrar', ids.branch)];
}, 120_000);

afterAll(() => server?.close());

/** Percent-encodes every UTF-16 code unit; a lone surrogate becomes the (invalid) UTF-8 bytes of its code point. */
function percentEncode(value: string): string {
  let encoded = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) {
      encoded += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else {
      encoded += encodeURIComponent(char);
    }
  }
  return encoded;
}

// Already percent-encoded, as they travel in a URL: some are not valid UTF-8 or not valid escapes at all.
const HOSTILE_ENCODED = [
  '',
  '%20',
  '%20%20%09',
  '%00',
  '%01',
  '%1F',
  '%7F',
  '%C2%80',
  '%C2%9F',
  '%E2%80%8B',
  '%ED%A0%80',
  '%ED%B0%80',
  '%ED%A0%80%ED%B0%80',
  '%FF%FE',
  '%C0%AE',
  '%',
  '%zz',
  '%E0%A4%A',
  '%2F',
  '%2F..%2F..',
  '%5C',
];
const HOSTILE_PLAIN = [
  '0',
  '-1',
  '-0',
  '+1',
  '01',
  '1.5',
  '1e3',
  '1E+2',
  '-1e-7',
  '1e308',
  '1e309',
  '0x10',
  '0b1',
  'NaN',
  'Infinity',
  '-Infinity',
  '2147483647',
  '2147483648',
  '4294967296',
  '9007199254740993',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775809',
  '18446744073709551616',
  '99999999999999999999999999999999',
  '0000-00-00',
  '9999-12-31',
  '2026-02-30',
  '2026-02-29',
  '1899-12-31',
  '1900-01-01',
  '2026-13-01',
  '2026-1-1',
  '20260101',
  '2026-02-28T00:00:00Z',
  '-002026-01-01',
  '+275760-09-13',
  '0000-00',
  '9999-12',
  '2026-00',
  '2026-13',
  'true',
  'null',
  'undefined',
  '[]',
  '{}',
  '__proto__',
  'constructor',
  'toString',
  'not-a-uuid',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ',
  '5e1e0fbc-5bd8-4cd0-9a3b-4d3f3b5a9c6a ',
  "' OR 1=1; --",
  'member,,unit',
  'member,organization,unit,member',
  'a'.repeat(10_000),
  '9'.repeat(5_000),
  '\u0000'.repeat(100),
  '\u0085\u2028\u2029\ufeff',
  '党'.repeat(2_000),
];

const hostileValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_ENCODED),
  fc.constantFrom(...HOSTILE_PLAIN).map(percentEncode),
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.double().map(String),
  fc.integer().map(String),
  fc.string({ unit: 'binary', maxLength: 40 }).map(percentEncode),
  // Any UTF-16 code unit, lone surrogates included.
  fc
    .string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 20 })
    .map(percentEncode),
  fc
    .string({ unit: fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code)), maxLength: 20 })
    .map(percentEncode),
  fc.uuid().map(percentEncode),
);

/** Values the route accepts, edges included, so that one hostile parameter is not always hidden by another. */
function plausibleValues(name: string, parameter?: Parameter): string[] {
  const enumerated = (parameter?.schema?.enum ?? []).map(String);
  if (enumerated.length > 0) return enumerated;
  if (name === 'streamId')
    return [`member-${ids.member}`, `organization-${ids.root}`, `unit-${ids.unit.toUpperCase()}`];
  if (/id$/i.test(name))
    return [
      ids.root,
      ids.branch,
      ids.member,
      ids.unit,
      ids.member.toUpperCase(),
      '6f1c3c2e-8d4b-4e0a-9f3a-2b7d5e9c1a40',
    ];
  if (name === 'type') return ['registry.MemberRegistered.v1', 'registry.MemberRegistered.v2'];
  if (/asOf|date|On$/i.test(name)) return ['1900-01-01', '2021-06-01', '2024-02-29', '9999-12-31'];
  if (/month/i.test(name)) return ['1900-01', '2026-01', '2099-12'];
  if (/region/i.test(name)) return ['310104', '310000', '110000'];
  if (/position|after/i.test(name)) return ['0', '1', '9223372036854775807'];
  if (name === 'category') return ['member', 'unit,organization'];
  if (name === 'groupBy') return ['region', 'industry'];
  if (name === 'limit') return ['1', '1000'];
  if (name === 'depth') return ['0', '64'];
  if (name === 'minMonths') return ['1', '240'];
  return ['1', '6'];
}

const plausibleValue = (slot: Slot): fc.Arbitrary<string> =>
  fc.constantFrom(...plausibleValues(slot.name, slot.parameter)).map(percentEncode);

const UNKNOWN_KEYS = ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'a[b]', 'a[]', '', '%00', '%ED%A0%80'];

const unknownParameters = (minLength: number): fc.Arbitrary<[string, string][]> =>
  fc.array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom(...UNKNOWN_KEYS),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }).map(percentEncode),
      ),
      hostileValue,
    ),
    { minLength, maxLength: 3 },
  );

/** A path or query parameter of one operation. */
interface Slot {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly required: boolean;
  readonly parameter?: Parameter;
}

/** Values of one slot: a path parameter has exactly one; a query parameter none, one or several (an array). */
function slotValues(slot: Slot, hostile: boolean): fc.Arbitrary<string[]> {
  if (slot.in === 'path') {
    return (hostile ? hostileValue.filter((value) => value !== '') : plausibleValue(slot)).map((value) => [value]);
  }
  if (hostile) {
    return fc
      .tuple(hostileValue, fc.array(fc.oneof(hostileValue, plausibleValue(slot)), { maxLength: 2 }))
      .map(([first, more]) => [first, ...more]);
  }
  return fc.array(plausibleValue(slot), { minLength: slot.required ? 1 : 0, maxLength: 1 });
}

interface Request {
  readonly template: string;
  readonly path: string;
  readonly token: string | null;
}

/**
 * Half the requests make one parameter (or an unknown one) hostile and the others plausible, so that each
 * hostile value reaches the code behind the route; the other half make every parameter hostile or absent.
 */
function getRequests(template: string, operation: FuzzedOperation): fc.Arbitrary<Request> {
  const parameters = operation.parameters ?? [];
  const slots: Slot[] = [
    ...[...template.matchAll(/\{([^}]+)\}/g)].map((match): Slot => ({
      name: match[1]!,
      in: 'path',
      required: true,
      parameter: parameters.find((parameter) => parameter.in === 'path' && parameter.name === match[1]),
    })),
    ...parameters
      .filter((parameter) => parameter.in === 'query')
      .map((parameter): Slot => ({
        name: parameter.name,
        in: 'query',
        required: parameter.required ?? false,
        parameter,
      })),
  ];
  const oneHostile = fc
    .nat({ max: slots.length })
    .chain((target) =>
      fc.tuple(
        fc.tuple(...slots.map((slot, index) => slotValues(slot, index === target))),
        unknownParameters(target === slots.length ? 1 : 0),
      ),
    );
  const allHostile = fc.tuple(
    fc.tuple(
      ...slots.map((slot) =>
        slot.in === 'path' ? slotValues(slot, true) : fc.oneof(fc.constant([]), slotValues(slot, true)),
      ),
    ),
    unknownParameters(0),
  );
  const allPlausible = fc.tuple(fc.tuple(...slots.map((slot) => slotValues(slot, false))), fc.constant([]));
  const tokenArbitrary = fc.oneof(
    { weight: 12, arbitrary: fc.constant(tokens[0]!) },
    { weight: 4, arbitrary: fc.constantFrom(...tokens.slice(1)) },
    { weight: 1, arbitrary: fc.constantFrom(null, 'garbage') },
  );
  const values = fc.oneof(
    { weight: 3, arbitrary: oneHostile },
    { weight: 2, arbitrary: allHostile },
    { weight: 1, arbitrary: allPlausible },
  );
  return fc.tuple(values, tokenArbitrary).map(([[values, unknown], token]) => {
    let index = 0;
    const path = template.replace(/\{[^}]+\}/g, () => values[index++]![0]!);
    const query = [
      ...slots.flatMap((slot, i) => (slot.in === 'query' ? values[i]!.map((value) => `${slot.name}=${value}`) : [])),
      ...unknown.map(([key, value]) => `${key}=${value}`),
    ].join('&');
    return { template, path: query ? `${path}?${query}` : path, token };
  });
}

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const answeredWith2xx = new Set<string>();

async function get(path: string, token: string | null): Promise<Answer> {
  const abort = new AbortController();
  const response = await fetch(`${server.url}${path}`, {
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/event-stream')) {
    // A live stream never ends: its headers are the answer.
    abort.abort();
    return { status: response.status, contentType, body: '' };
  }
  return { status: response.status, contentType, body: await response.text() };
}

/** Throws, naming the request, unless the answer is below 500 and every 4xx is an RFC 9457 problem. */
function expectNoServerError(method: string, path: string, answer: Answer, sent = ''): void {
  const where = `${method} ${path.length > 300 ? `${path.slice(0, 300)}…` : path} ${sent.slice(0, 300)} → ${answer.status}`;
  const shown = answer.body.slice(0, 500);
  const readYourWrites =
    answer.status === 503 && /[?&]minPosition=/.test(path) && answer.body.includes('/read-model-behind"');
  if (answer.status >= 500 && !readYourWrites) throw new Error(`${where}: a server error: ${shown}`);
  if (answer.status >= 400) {
    if (!answer.contentType.startsWith('application/problem+json'))
      throw new Error(`${where}: not a problem (${answer.contentType}): ${shown}`);
    const problem = JSON.parse(answer.body) as Record<string, unknown>;
    if (typeof problem.type !== 'string' || typeof problem.title !== 'string' || problem.status !== answer.status)
      throw new Error(`${where}: not an RFC 9457 problem: ${shown}`);
  }
  if (/json/.test(answer.contentType))
    answers.check(method, path, answer.status, answer.contentType, JSON.parse(answer.body));
}

const operations = (method: string): [string, FuzzedOperation][] =>
  Object.entries(document.paths).flatMap(([template, methods]) =>
    methods[method] ? [[template, methods[method]] as [string, FuzzedOperation]] : [],
  );

async function fuzz<T>(
  routes: [string, FuzzedOperation][],
  requests: (template: string, operation: FuzzedOperation) => fc.Arbitrary<T>,
  run: (request: T) => Promise<void>,
  numRuns: number,
): Promise<string[]> {
  const failures: string[] = [];
  for (const [index, [template, operation]] of routes.entries()) {
    const outcome = await fc.check(fc.asyncProperty(requests(template, operation), run), {
      seed: SEED + index,
      numRuns,
    });
    if (outcome.failed) {
      // fetch's own failures (a connection the server dropped) say what happened in their cause.
      const error = outcome.errorInstance as Error;
      const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
      failures.push(`${template}: ${String(error)}${cause}`);
    }
  }
  return failures;
}

describe('query strings and path parameters', () => {
  it('finds every GET route in the served OpenAPI document', () => {
    const routes = operations('get').map(([template]) => template);
    expect(routes).toEqual(
      expect.arrayContaining([
        '/v1/organizations/{id}/tree',
        '/v1/reports/dues',
        '/v1/streams/{streamId}',
        '/v1/events',
        '/v1/events/stream',
        '/v1/members/{id}',
        '/health',
      ]),
    );
  });

  it('answers every GET route below 500, and every 4xx as a problem', async () => {
    const failures = await fuzz(
      operations('get'),
      getRequests,
      async ({ template, path, token }) => {
        const answer = await get(path, token);
        expectNoServerError('GET', path, answer);
        if (answer.status < 300) answeredWith2xx.add(template);
      },
      QUERY_RUNS_PER_ROUTE,
    );
    expect(failures).toEqual([]);
    // The fuzzing reached the handlers, the live stream included, not only the validation in front of them.
    expect([...answeredWith2xx]).toEqual(
      expect.arrayContaining([
        '/v1/organizations/{id}/tree',
        '/v1/reports/dues',
        '/v1/streams/{streamId}',
        '/v1/events/stream',
      ]),
    );
  }, 120_000);
});

const nested = (depth: number, open: string, close: string, inner = '0'): string =>
  `${open.repeat(depth)}${inner}${close.repeat(depth)}`;

// JSON texts, not values: some cannot be written with JSON.stringify (1e999, lone surrogates, duplicate keys).
const HOSTILE_JSON = [
  'null',
  'true',
  '0',
  '-1',
  '1.5',
  '-0',
  '1e308',
  '1e999',
  '-1e999',
  '9223372036854775808',
  '2147483648',
  '""',
  '" "',
  '"\\u0000"',
  '"\\u0007"',
  '"\\u001b[31m"',
  '"\\u0085\\u009f"',
  '"\\ud800"',
  '"a\\udc00b"',
  '"\\ud800\\ud800"',
  '"\\ufeff"',
  '"2026-02-30"',
  '"0000-00-00"',
  '"9999-12-31"',
  '"not-a-uuid"',
  '[]',
  '{}',
  '[null]',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{}}}',
  nested(5_000, '[', ']'),
  nested(100_000, '[', ']'),
  nested(5_000, '{"a":', '}'),
  nested(50_000, '{"a":', '}'),
  `[${Array.from({ length: 50_000 }, () => '0').join(',')}]`,
  `[${Array.from({ length: 10_000 }, () => '"6f1c3c2e-8d4b-4e0a-9f3a-2b7d5e9c1a40"').join(',')}]`,
  JSON.stringify('a'.repeat(200_000)),
  JSON.stringify('党'.repeat(50_000)),
];

const hostileJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_JSON),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc
    .string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 20 })
    .map((value) => JSON.stringify(value)),
  fc.double().map((value) => (Number.isFinite(value) ? JSON.stringify(value) : 'null')),
);

const codeUnit = (min: number, max: number) => fc.integer({ min, max }).map((code) => String.fromCharCode(code));

/** Strings that are valid JSON but hostile text: half a surrogate pair, controls, invisible or very long. */
const hostileText: fc.Arbitrary<string> = fc
  .oneof(
    fc
      .tuple(fc.string({ maxLength: 10 }), codeUnit(0xd800, 0xdfff), fc.string({ maxLength: 10 }))
      .map((parts) => parts.join('')),
    fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), codeUnit(0, 0x9f)).map((parts) => parts.join('')),
    fc.constantFrom(' ', '\t', '\n', '\u00a0', '\u200b', '\ufeff', '\ufffe', '\u202e', 'a'.repeat(100_000)),
    fc.string({ unit: codeUnit(0, 0xffff), maxLength: 20 }),
  )
  .map((value) => JSON.stringify(value));

/** A value the body field accepts (or nearly), so that one hostile field reaches the command behind it. */
function plausibleField(name: string, schema: { enum?: unknown[]; type?: string } | undefined): unknown {
  if (schema?.enum?.length) return schema.enum[0];
  if (name === 'id') return undefined;
  if (name === 'unitIds') return [ids.unit];
  if (name === 'months') return ['2024-01'];
  if (name === 'to') return { orgId: ids.root };
  if (name === 'parentId' || name === 'hostOrgId') return ids.root;
  if (name === 'orgId') return ids.branch;
  if (name === 'unitId') return ids.unit;
  if (name === 'memberId') return ids.member;
  if (name === 'birthDate') return '1990-05-01';
  if (name === 'idNumber') return residentId('1990-05-01', 'male', 77);
  if (/On$|Date$|^since$|^validUntil$/.test(name)) return '2024-01-01';
  if (name === 'from') return '2024-01';
  if (/regionCode$/i.test(name)) return '310104';
  if (name === 'creditCode') return creditCode(902, '310104');
  if (name === 'phone') return '13800000000';
  if (schema?.type === 'integer' || schema?.type === 'number') return 100;
  if (schema?.type === 'string') return '合并调整';
  return undefined;
}

interface BodyRequest {
  readonly template: string;
  readonly path: string;
  readonly body: string;
  readonly headers: Record<string, string>;
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
];

function pathIdFor(template: string, name: string): string {
  const before = template.split('/')[template.split('/').indexOf(`{${name}}`) - 1];
  if (name === 'unitId' || before === 'units') return ids.unit;
  if (before === 'organizations') return ids.branch;
  if (before === 'members') return ids.member;
  return '6f1c3c2e-8d4b-4e0a-9f3a-2b7d5e9c1a40';
}

function postRequests(template: string, operation: FuzzedOperation): fc.Arbitrary<BodyRequest> {
  const schema = operation.requestBody?.content?.['application/json']?.schema as
    { properties?: Record<string, { enum?: unknown[]; type?: string }> } | undefined;
  const fields = Object.entries(schema?.properties ?? {});
  const plausible = Object.fromEntries(
    fields.flatMap(([name, field]) => {
      const value = plausibleField(name, field);
      return value === undefined ? [] : [[name, JSON.stringify(value)]];
    }),
  );
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => pathIdFor(template, name));
  const object = (entries: [string, string][]) =>
    `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
  // One field hostile, the others plausible; every field hostile or absent; all plausible; or the whole body hostile.
  const hostileFor = (name: string) =>
    schema?.properties?.[name]?.type === 'string'
      ? fc.oneof({ weight: 2, arbitrary: hostileText }, hostileJson)
      : hostileJson;
  const oneHostile = fc
    .constantFrom(...fields.map(([name]) => name), '(unknown)')
    .chain((target) => hostileFor(target).map((value) => [target, value] as const))
    .map(([target, value]) =>
      object([
        ...Object.entries(plausible).filter(([name]) => name !== target),
        [target === '(unknown)' ? 'colour' : target, value],
      ]),
    );
  const allHostile = fc
    .tuple(...fields.map(([name]) => fc.option(hostileJson).map((value) => [name, value] as const)))
    .map((entries) => object(entries.filter((entry): entry is [string, string] => entry[1] !== null)));
  const raw = fc.oneof(
    hostileJson,
    fc.constantFrom('', '{', '{"a":', '{"a":1}{"b":2}', '\ufeff{}', '{"name":"a","name":1}', '\u0000', 'undefined'),
  );
  return fc
    .record({
      body: fc.oneof(
        { weight: 4, arbitrary: oneHostile },
        { weight: 2, arbitrary: allHostile },
        { weight: 1, arbitrary: fc.constant(object(Object.entries(plausible))) },
        { weight: 1, arbitrary: raw },
      ),
      contentType: fc.oneof(
        { weight: 5, arbitrary: fc.constant('application/json') },
        fc.constantFrom(...CONTENT_TYPES),
      ),
      // Mostly absent or valid: a hostile header is refused before the body is read.
      idempotencyKey: fc.oneof(
        { weight: 6, arbitrary: fc.constant(null) },
        { weight: 3, arbitrary: fc.uuid() },
        fc.constantFrom('x'.repeat(201), ' ', '\u00e9'),
      ),
      ifMatch: fc.oneof(
        { weight: 6, arbitrary: fc.constant(null) },
        { weight: 2, arbitrary: fc.constantFrom('*', '"1"', 'W/"2"') },
        fc.constantFrom('"99999999999999999999"', '"-1"', 'abc', '""'),
      ),
    })
    .map(({ body, contentType, idempotencyKey, ifMatch }) => ({
      template,
      path,
      body,
      headers: {
        'content-type': contentType,
        ...(idempotencyKey === null ? {} : { 'idempotency-key': idempotencyKey }),
        ...(ifMatch === null ? {} : { 'if-match': ifMatch }),
      },
    }));
}

async function post(request: BodyRequest): Promise<Answer> {
  const response = await fetch(`${server.url}${request.path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[0]!}`, ...request.headers },
    body: request.body,
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type') ?? '',
    body: await response.text(),
  };
}

const accepted = new Set<string>();

describe('bodies', () => {
  it('answers every POST route below 500, and every 4xx as a problem', async () => {
    const routes = operations('post');
    expect(routes.map(([template]) => template)).toEqual(
      expect.arrayContaining(['/v1/members', '/v1/organizations/{id}/rename', '/v1/members/{id}/dues/payments']),
    );
    const failures = await fuzz(
      routes,
      postRequests,
      async (request) => {
        const answer = await post(request);
        expectNoServerError('POST', request.path, answer, `${JSON.stringify(request.headers)} ${request.body}`);
        if (answer.status < 300) accepted.add(request.template);
      },
      BODY_RUNS_PER_ROUTE,
    );
    expect(failures).toEqual([]);
    // Bodies with one hostile field got past validation into commands, and some were written.
    expect([...accepted]).toEqual(
      expect.arrayContaining(['/v1/units', '/v1/organizations/{id}/rename', '/v1/members/{id}/transfers']),
    );
  }, 120_000);
});

describe('problems stay small', () => {
  it('lists 20 of 60,000 unknown fields and counts the rest', async () => {
    const unknown = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, 0]));
    const before = await server.eventCount();
    const response = await fetch(`${server.url}/v1/organizations/${ids.branch}/rename`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens[0]!}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '某科技公司第一党支部', effectiveOn: '2024-01-01', ...unknown }),
    });
    const text = await response.text();
    const problem = JSON.parse(text) as { errors: { field: string; reason: string }[]; moreErrors: number };
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(problem.errors).toHaveLength(20);
    expect(problem.errors[0]).toEqual({ field: 'k0', reason: 'unknown field' });
    expect(problem.moreErrors).toBe(59_980);
    expect(Buffer.byteLength(text)).toBeLessThan(4_096);
    expect(await server.eventCount()).toBe(before);
  });

  it('lists every error, without a count, when there are 20 or fewer', async () => {
    const unknown = Array.from({ length: 19 }, (_, i) => `colour${i}=red`).join('&');
    const reply = await call(server, 'GET', `/v1/coverage?groupBy=region&asOf=2026-02-30&${unknown}`, {
      token: tokens[0]!,
    });
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toHaveLength(20);
    expect(reply.body).not.toHaveProperty('moreErrors');
  });

  it('counts the unknown query parameters beyond 20 too', async () => {
    const unknown = Array.from({ length: 45 }, (_, i) => `colour${i}=red`).join('&');
    const reply = await call(server, 'GET', `/v1/coverage?groupBy=region&${unknown}`, { token: tokens[0]! });
    expect(reply.status).toBe(400);
    expect(reply.body.errors).toHaveLength(20);
    expect(reply.body.moreErrors).toBe(25);
  });

  it('refuses a body over 1 MiB as a 413 problem', async () => {
    const reply = await call(server, 'POST', `/v1/organizations/${ids.branch}/rename`, {
      token: tokens[0]!,
      body: { name: 'a'.repeat(1_048_577), effectiveOn: '2024-01-01' },
    });
    expect(reply.status).toBe(413);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.body).toMatchObject({ type: expect.stringMatching(/body-too-large$/), status: 413 });
  });
});

describe('scope with ids in any letter case', () => {
  it('refuses a member outside the scope however its id is written', async () => {
    const elsewhere = server.token('registrar', 'sibling-registrar', ids.sibling);
    for (const id of [ids.member, ids.member.toUpperCase()]) {
      const reply = await call(server, 'GET', `/v1/members/${id}`, { token: elsewhere });
      expect({ id, status: reply.status }).toEqual({ id, status: 403 });
    }
    const inside = server.token('registrar', 'branch-registrar', ids.branch);
    expect((await call(server, 'GET', `/v1/members/${ids.member.toUpperCase()}`, { token: inside })).status).toBe(200);
  });
});
