import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { schemaIndex, schemaOfType } from '@registry/contracts';
import { answerSchemaOf, publicEventSchemaAnswer, schemaIndexAnswer } from './answers';
import { Public } from './auth';
import { Problem } from '../problems/problem-details.filter';

function publishedSchemaOf(type: string): object {
  const schema = schemaOfType(type);
  if (!schema)
    throw Problem.of(404, 'not-found', 'Not found', `no public event type ${type}: GET /v1/schemas lists them`);
  return schema;
}

/** The published contracts are public: integrators read them before they hold a token. */
@ApiTags('integration')
@Public()
@Controller('v1/schemas')
export class SchemasController {
  @Get()
  @ApiOperation({
    summary: 'Every public event type with the address of its JSON Schema, and the Kafka topic of each stream category',
  })
  @ApiOkResponse({
    description: '{ topics, events: [{ type, event, version, schema }] }',
    schema: answerSchemaOf(schemaIndexAnswer),
  })
  index() {
    return schemaIndex();
  }

  @Get(':type')
  @ApiOperation({ summary: 'The JSON Schema (2020-12) of one public event type, e.g. registry.MemberRegistered.v1' })
  @ApiOkResponse({ description: 'the schema', schema: answerSchemaOf(publicEventSchemaAnswer) })
  schema(@Param('type') type: string) {
    return publishedSchemaOf(type);
  }
}
