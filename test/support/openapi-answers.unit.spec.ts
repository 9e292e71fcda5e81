import { AnswerMismatch, type OpenApiDocument, OpenApiAnswers } from './openapi-answers';

// A small document of the shapes the registry's uses: named components, a recursive tree, OpenAPI
// 3.0 `nullable`, a route that forgot its answer schema, and problems.
const document: OpenApiDocument = {
  paths: {
    '/v1/organizations/{id}/tree': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Tree' } } } },
          '404': { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
        },
      },
    },
    '/v1/organizations/{id}/forgotten': { get: { responses: { '200': {} } } },
    '/health': { get: { responses: { '200': {} } } },
  },
  components: {
    schemas: {
      Node: {
        type: 'object',
        required: ['id', 'parentId', 'children'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', format: 'uuid' },
          parentId: { type: 'string', format: 'uuid', nullable: true },
          children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
        },
      },
      Tree: {
        type: 'object',
        required: ['asOf', 'root'],
        properties: { asOf: { type: 'string', format: 'date' }, root: { $ref: '#/components/schemas/Node' } },
      },
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' } },
      },
    },
  },
};

const root = '0190a6a2-0000-7000-8000-00000000c001';
const child = '0190a6a2-0000-7000-8000-00000000c002';
const tree = {
  asOf: '2024-06-30',
  root: { id: root, parentId: null, children: [{ id: child, parentId: root, children: [] }] },
};
const json = 'application/json; charset=utf-8';
const answers = new OpenApiAnswers(document);
const check =
  (path: string, status: number, body: unknown, contentType = json) =>
  () =>
    answers.check('GET', path, status, contentType, body);

describe('answers checked against the served OpenAPI document', () => {
  it('accepts an answer that matches its schema, through references, recursion and nullable fields', () => {
    expect(check(`/v1/organizations/${root}/tree?asOf=2024-06-30`, 200, tree)).not.toThrow();
  });

  it('rejects an answer missing a required field, naming the method, the path and the field', () => {
    const { asOf: _asOf, ...withoutAsOf } = tree;
    expect(check(`/v1/organizations/${root}/tree`, 200, withoutAsOf)).toThrow(AnswerMismatch);
    expect(check(`/v1/organizations/${root}/tree`, 200, withoutAsOf)).toThrow(
      new RegExp(`GET /v1/organizations/${root}/tree → 200.*\\n.*must have required property 'asOf'`),
    );
  });

  it('rejects a wrong value deep in the recursive part', () => {
    const wrong = { ...tree, root: { ...tree.root, children: [{ id: child, parentId: 7, children: [] }] } };
    expect(check(`/v1/organizations/${root}/tree`, 200, wrong)).toThrow(/\/root\/children\/0\/parentId/);
  });

  it('rejects a field the schema does not name where it allows none', () => {
    const extra = { ...tree, root: { ...tree.root, secretary: 'nobody' } };
    expect(check(`/v1/organizations/${root}/tree`, 200, extra)).toThrow(/must NOT have additional properties/);
  });

  it('fails loudly for a /v1 answer whose operation declares no schema, or a path the document lacks', () => {
    expect(check(`/v1/organizations/${root}/forgotten`, 200, {})).toThrow(/declares no schema for a 200 answer/);
    expect(check('/v1/nowhere', 200, {})).toThrow(/no operation for this path/);
  });

  it('checks problems against the Problem schema', () => {
    const problem = { type: 'about:blank', title: 'Not found', status: 404 };
    expect(check(`/v1/organizations/${root}/tree`, 404, problem, 'application/problem+json')).not.toThrow();
    expect(check('/v1/nowhere', 401, { ...problem, status: '401' }, 'application/problem+json')).toThrow(
      /\/status must be integer/,
    );
  });

  it('leaves alone what is not JSON, and routes outside /v1 that declare no schema', () => {
    expect(check(`/v1/organizations/${root}/tree`, 200, 'id,name', 'text/csv')).not.toThrow();
    expect(check('/health', 200, { status: 'ok' })).not.toThrow();
  });
});
