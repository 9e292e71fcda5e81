import Ajv, { type ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;

interface MediaType {
  readonly schema?: unknown;
}
interface OperationResponse {
  readonly content?: Record<string, MediaType>;
}
interface Operation {
  readonly responses?: Record<string, OperationResponse>;
}
export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components?: { readonly schemas?: Record<string, unknown> };
}

/** An answer that does not match what the served OpenAPI document declares for it. */
export class AnswerMismatch extends Error {
  override readonly name = 'AnswerMismatch';
}

const COMPONENTS = 'https://registry.invalid/openapi/components.json';
const COMPONENT_REF = '#/components/schemas/';

/**
 * An OpenAPI 3.0 schema as a JSON Schema ajv reads: `nullable: true` becomes a null alternative and
 * references to `components.schemas` point at the components registered under COMPONENTS.
 */
export function jsonSchemaOfOpenApi(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(jsonSchemaOfOpenApi);
  if (typeof schema !== 'object' || schema === null) return schema;
  const { nullable, ...rest } = schema as Json;
  const converted = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_REF)
        ? `${COMPONENTS}#/definitions/${value.slice(COMPONENT_REF.length)}`
        : jsonSchemaOfOpenApi(value),
    ]),
  );
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

const FORMATS: Record<string, RegExp | true> = {
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  date: /^\d{4}-\d{2}-\d{2}$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i,
  int32: true,
  int64: true,
  float: true,
  double: true,
};

interface Route {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly literalSegments: number;
}

const isJson = (contentType: string | null): boolean => /^application\/([\w.+-]*\+)?json\b/i.test(contentType ?? '');

/**
 * Validates answers against the OpenAPI document the registry serves: every JSON 2xx answer of a
 * /v1 route against its operation's declared schema (an operation without one is a failure), and
 * every problem against the schema of its status, else the Problem component.
 */
export class OpenApiAnswers {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv({ allErrors: true, strictSchema: false, formats: FORMATS });
    this.ajv.addSchema({
      $id: COMPONENTS,
      definitions: jsonSchemaOfOpenApi(document.components?.schemas ?? {}),
    });
    this.routes = Object.entries(document.paths)
      .flatMap(([template, methods]) =>
        Object.keys(methods).map((method) => {
          const segments = template.split('/');
          const pattern = segments
            .map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
            .join('/');
          return {
            method,
            template,
            pattern: new RegExp(`^${pattern}$`),
            literalSegments: segments.filter((segment) => !segment.startsWith('{')).length,
          };
        }),
      )
      // `/v1/events/stream` before `/v1/events/{id}`, should both exist.
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** Fetches the document a running server serves at /docs-json. */
  static async served(baseUrl: string): Promise<OpenApiAnswers> {
    const response = await fetch(`${baseUrl}/docs-json`);
    if (!response.ok) throw new Error(`GET /docs-json answered ${response.status}`);
    return new OpenApiAnswers((await response.json()) as OpenApiDocument);
  }

  /** Throws AnswerMismatch, naming the method, the path and ajv's errors, when the answer does not match. */
  check(method: string, url: string, status: number, contentType: string | null, body: unknown): void {
    if (!isJson(contentType)) return;
    const path = new URL(url, 'http://answer.invalid').pathname;
    const where = `${method.toUpperCase()} ${path} → ${status}`;
    const route = this.routes.find((r) => r.method === method.toLowerCase() && r.pattern.test(path));
    const response = route && this.document.paths[route.template]?.[route.method]?.responses?.[String(status)];
    const declared =
      response?.content?.[contentType?.split(';')[0]?.trim() ?? ''] ?? response?.content?.['application/json'];
    let schema: unknown = declared?.schema;
    let key = route ? `${route.method} ${route.template} ${status}` : undefined;
    if (status >= 200 && status < 300) {
      if (!path.startsWith('/v1/') && schema === undefined) return;
      if (!route) throw new AnswerMismatch(`${where}: the OpenAPI document has no operation for this path`);
      if (schema === undefined)
        throw new AnswerMismatch(
          `${where}: ${route.method} ${route.template} declares no schema for a ${status} answer`,
        );
    } else if (schema === undefined) {
      if (!this.document.components?.schemas?.Problem) return;
      schema = { $ref: `${COMPONENT_REF}Problem` };
      key = 'Problem';
    }
    const validate = this.validatorFor(key ?? `${path} ${status}`, schema);
    if (!validate(body)) {
      const errors = (validate.errors ?? [])
        .slice(0, 10)
        .map((error) => `  ${error.instancePath || '(answer)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`)
        .join('\n');
      throw new AnswerMismatch(
        `${where}: the answer does not match its schema in the OpenAPI document${route ? ` (${route.method} ${route.template})` : ''}:\n${errors}`,
      );
    }
  }

  private validatorFor(key: string, schema: unknown): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(jsonSchemaOfOpenApi(schema) as Json);
      this.validators.set(key, validate);
    }
    return validate;
  }
}

const served = new Map<string, Promise<OpenApiAnswers>>();

/** The validator of the document served at `baseUrl`, fetched once per server. */
export function answersServedBy(baseUrl: string): Promise<OpenApiAnswers> {
  let answers = served.get(baseUrl);
  if (!answers) {
    answers = OpenApiAnswers.served(baseUrl);
    answers.catch(() => served.delete(baseUrl));
    served.set(baseUrl, answers);
  }
  return answers;
}
