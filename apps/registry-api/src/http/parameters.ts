import {
  createParamDecorator,
  type ExecutionContext,
  Param,
  type PipeTransform,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { type Observable, tap } from 'rxjs';
import type { z } from 'zod';
import { PERSONAL_DATA_ROLES, principalOf } from './auth';
import { commandOptions } from './command-http';
import { parseQuery } from './read-models';
import { scopeOf } from './scope';
import { parseBody, parseUuid } from './validation';

// What a route needs from its request, parsed before the route runs: each route body is one call.

const BODY_SCHEMA = 'registry:body-schema';
const QUERY_SCHEMA = 'registry:query-schema';
const reflector = new Reflector();

/** Route metadata: the schema a route's body is parsed with (`CommandRoute({ body })` sets it). */
export const BodySchema = (schema: z.ZodType) => SetMetadata(BODY_SCHEMA, schema);
/** Route metadata: the schema a route's query string is parsed with (`QueryRoute({ query })` sets it). */
export const QuerySchema = (schema: z.ZodType) => SetMetadata(QUERY_SCHEMA, schema);

function schemaOf(context: ExecutionContext, key: string): z.ZodType {
  const schema = reflector.get<z.ZodType | undefined>(key, context.getHandler());
  if (schema === undefined)
    throw new Error(`${context.getClass().name}.${context.getHandler().name} names no schema for ${key}`);
  return schema;
}

/** The body, parsed with the schema the route names once, in `CommandRoute({ body })`. */
export const CommandBody = createParamDecorator((_: unknown, context: ExecutionContext): unknown =>
  parseBody(schemaOf(context, BODY_SCHEMA), context.switchToHttp().getRequest<Request>().body),
);

/** The query string, parsed with the schema the route names once, in `QueryRoute({ query })`. */
export const ValidQuery = createParamDecorator((_: unknown, context: ExecutionContext): unknown =>
  parseQuery(schemaOf(context, QUERY_SCHEMA), context.switchToHttp().getRequest<Request>().query),
);

class UuidOf implements PipeTransform<string, string> {
  constructor(private readonly name: string) {}

  transform(value: string): string {
    return parseUuid(value, this.name);
  }
}

/** A path parameter that must be a UUID (lower-cased); otherwise a 400 that names the parameter. */
export const UuidParam = (name: string) => Param(name, new UuidOf(name));

/** Ids, caller, today, If-Match and Idempotency-Key of a command request; also answers X-Request-Id. */
export const RequestOptions = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const http = context.switchToHttp();
  return commandOptions(http.getRequest<Request>(), http.getResponse<Response>());
});

/** The organisation the caller's token is confined to, if any (admins never are). */
export const CallerScope = createParamDecorator((_: unknown, context: ExecutionContext): string | undefined =>
  scopeOf(principalOf(context.switchToHttp().getRequest<Request>())),
);

/** Whether the caller may see a member's name, resident ID number, phone and birth date. */
export const SeesPersonalData = createParamDecorator((_: unknown, context: ExecutionContext): boolean =>
  principalOf(context.switchToHttp().getRequest<Request>()).roles.some((role) => PERSONAL_DATA_ROLES.includes(role)),
);

/** Answers that carry their stream's version send it as the ETag. */
@Injectable()
export class StreamVersionETag implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler<{ readonly streamVersion: number }>): Observable<unknown> {
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(tap((answer) => response.setHeader('ETag', `"${answer.streamVersion}"`)));
  }
}

/** Sends the answer's `streamVersion` as the ETag (commands, and the member read from their stream). */
export const ETagFromStreamVersion = () => UseInterceptors(StreamVersionETag);
