import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { answerComponents } from './http/answers';
import { MAX_LISTED_ERRORS } from './problems/problem-details.filter';

/** Serves the OpenAPI document at /docs-json and Swagger UI at /docs. */
export function serveOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Liangxin Registry')
      .setDescription(
        'Membership registry of Party organisations in non-public enterprises and social organisations (两新组织)',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  document.components ??= {};
  document.components.schemas = {
    ...document.components.schemas,
    ...answerComponents(),
    Problem: {
      type: 'object',
      description: 'RFC 9457 problem details',
      required: ['type', 'title', 'status'],
      properties: {
        type: { type: 'string', description: 'for 409s ends in /rules/<rule>' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        rule: { type: 'string' },
        errors: {
          type: 'array',
          maxItems: MAX_LISTED_ERRORS,
          description: `the fields at fault, at most ${MAX_LISTED_ERRORS}`,
          items: {
            type: 'object',
            required: ['field', 'reason'],
            properties: { field: { type: 'string' }, reason: { type: 'string' } },
          },
        },
        moreErrors: {
          type: 'integer',
          minimum: 1,
          description: 'how many more fields were at fault than errors lists',
        },
      },
    },
  };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
