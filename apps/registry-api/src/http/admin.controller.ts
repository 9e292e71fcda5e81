import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import {
  type Generation,
  type Projector,
  ProjectionActionRefused,
  type ProjectionStatus,
  RebuildRefused,
  retryProjection,
  skipFailedEvent,
  stopProjection,
} from '@registry/projections';
import {
  type RelayCheckpoint,
  readCheckpoints,
  RelayNotStopped,
  retryRelay,
  skipFailedEvent as skipRelayEvent,
} from '@registry/relay';
import type { EventFailure } from '@registry/postgres';
import { REGISTRY_DATABASE, type RegistryDatabase } from '@registry/runtime';
import { PROJECTOR } from '../health/background-workers';
import { principalOf, Roles } from './auth';
import {
  adminProjectionActionAnswer,
  adminProjectionsAnswer,
  adminRelayActionAnswer,
  adminRelaysAnswer,
  answerSchemaOf,
  rebuildJobAnswer,
  rebuildJobsAnswer,
  verifyAnswer,
} from './answers';
import { RebuildJobs } from './rebuild-jobs';
import { jsonSchemaOf } from './command-route';
import { BodySchema, CommandBody } from './parameters';

const stopBody = z.strictObject({
  reason: z.string().trim().min(1).max(500).describe('why it is stopped (kept with the stop)'),
});
const skipBody = z.strictObject({
  position: z
    .string()
    .regex(/^\d{1,20}$/, 'a log position: a decimal string')
    .describe('the position of the event it stopped on, as the status shows it'),
});

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };

function failureAnswer(failure: EventFailure | null) {
  return failure && { ...failure, position: failure.position.toString(), at: failure.at.toISOString() };
}

function projectionAnswer(status: ProjectionStatus) {
  return { ...status, failure: failureAnswer(status.failure) };
}

function relayAnswer(checkpoint: RelayCheckpoint) {
  return {
    ...checkpoint,
    position: checkpoint.position.toString(),
    failure: failureAnswer(checkpoint.failure),
    updatedAt: checkpoint.updatedAt.toISOString(),
  };
}

const generationAnswer = (generation: Generation) => ({
  name: generation.name,
  generation: generation.generation,
  status: generation.status,
  position: generation.position.toString(),
  stopReason: generation.stopReason,
});

/** What the follower's state does not allow (already stopped, not stopped on that event) is a 409. */
async function refusedAsConflict<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProjectionActionRefused || error instanceof RelayNotStopped)
      throw new ConflictException(error.message);
    throw error;
  }
}

/**
 * Operations over HTTP, admin only: what `cli projections` and `cli relay` do, and `verify`. The
 * console calls these; every action names the caller (the token's `sub`) where it is recorded.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin')
export class AdminController {
  constructor(
    @Inject(PROJECTOR) private readonly projector: Projector,
    @Inject(REGISTRY_DATABASE) private readonly database: RegistryDatabase,
    @Inject(RebuildJobs) private readonly rebuilds: RebuildJobs,
  ) {}

  @Get('projections')
  @ApiOperation({ summary: 'Every projection: checkpoint, lag, a stop and why, a rebuild in progress' })
  @ApiResponse({ status: 200, description: 'the projections', schema: answerSchemaOf(adminProjectionsAnswer) })
  async projections() {
    return { projections: (await this.projector.status()).map(projectionAnswer) };
  }

  @Post('projections/:name/stop')
  @HttpCode(200)
  @BodySchema(stopBody)
  @ApiOperation({ summary: 'Pause a running projection (it stops after the batch in flight) until retried' })
  @ApiResponse({ status: 200, description: 'stopped', schema: answerSchemaOf(adminProjectionActionAnswer) })
  @ApiBody({ schema: jsonSchemaOf(stopBody) })
  @ApiResponse({ status: 404, description: 'no such projection', content: PROBLEM })
  @ApiResponse({ status: 409, description: 'it is already stopped', content: PROBLEM })
  async stop(@Param('name') name: string, @CommandBody() body: z.infer<typeof stopBody>, @Req() request: Request) {
    this.requireProjection(name);
    const actor = principalOf(request).sub;
    return generationAnswer(
      await refusedAsConflict(() => stopProjection(this.database.pool, name, actor, body.reason)),
    );
  }

  @Post('projections/:name/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Run a stopped projection again (from the event it failed on, if any)' })
  @ApiResponse({ status: 200, description: 'running again', schema: answerSchemaOf(adminProjectionActionAnswer) })
  @ApiResponse({ status: 404, description: 'no such projection', content: PROBLEM })
  async retry(@Param('name') name: string) {
    this.requireProjection(name);
    return generationAnswer(await refusedAsConflict(() => retryProjection(this.database.pool, name)));
  }

  @Post('projections/:name/skip')
  @HttpCode(200)
  @BodySchema(skipBody)
  @ApiOperation({ summary: 'Skip the one event a projection stopped on (recorded for audit with the caller)' })
  @ApiResponse({ status: 200, description: 'running after it', schema: answerSchemaOf(adminProjectionActionAnswer) })
  @ApiBody({ schema: jsonSchemaOf(skipBody) })
  @ApiResponse({ status: 404, description: 'no such projection', content: PROBLEM })
  @ApiResponse({ status: 409, description: 'not stopped on that event', content: PROBLEM })
  async skip(@Param('name') name: string, @CommandBody() body: z.infer<typeof skipBody>, @Req() request: Request) {
    this.requireProjection(name);
    const actor = `api:${principalOf(request).sub}`;
    return generationAnswer(
      await refusedAsConflict(() => skipFailedEvent(this.database.pool, name, BigInt(body.position), actor)),
    );
  }

  @Post('projections/:name/rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Rebuild a projection blue/green beside the live tables (which keep answering); progress at GET /v1/admin/rebuilds',
  })
  @ApiResponse({ status: 202, description: 'started', schema: answerSchemaOf(rebuildJobAnswer) })
  @ApiResponse({ status: 404, description: 'no such projection', content: PROBLEM })
  @ApiResponse({ status: 409, description: 'a rebuild of it is already running', content: PROBLEM })
  rebuild(@Param('name') name: string, @Req() request: Request) {
    const definition = this.projector.definitions.find((d) => d.name === name);
    if (!definition) throw new NotFoundException(`no projection named ${name}`);
    try {
      return this.rebuilds.start(definition, principalOf(request).sub);
    } catch (error) {
      if (error instanceof RebuildRefused) throw new ConflictException(error.message);
      throw error;
    }
  }

  @Get('rebuilds')
  @ApiOperation({ summary: 'Rebuilds started from this API process: progress, events/s, ETA, outcome' })
  @ApiResponse({ status: 200, description: 'the rebuilds', schema: answerSchemaOf(rebuildJobsAnswer) })
  listRebuilds() {
    return { rebuilds: this.rebuilds.list() };
  }

  @Get('relays')
  @ApiOperation({ summary: 'Every Kafka relay that has run against this database: checkpoint and any stop' })
  @ApiResponse({ status: 200, description: 'the relays', schema: answerSchemaOf(adminRelaysAnswer) })
  async relays() {
    return { relays: (await readCheckpoints(this.database.pool)).map(relayAnswer) };
  }

  @Post('relays/:name/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish the event a stopped relay failed on again' })
  @ApiResponse({ status: 200, description: 'running again', schema: answerSchemaOf(adminRelayActionAnswer) })
  @ApiResponse({ status: 409, description: 'no such relay, or not stopped', content: PROBLEM })
  async retryRelay(@Param('name') name: string) {
    const checkpoint = await refusedAsConflict(() => retryRelay(this.database.pool, name));
    return { name, position: checkpoint.position.toString() };
  }

  @Post('relays/:name/skip')
  @HttpCode(200)
  @BodySchema(skipBody)
  @ApiOperation({ summary: 'Skip the one event a relay stopped on (integrators never receive it; recorded)' })
  @ApiResponse({ status: 200, description: 'running after it', schema: answerSchemaOf(adminRelayActionAnswer) })
  @ApiBody({ schema: jsonSchemaOf(skipBody) })
  @ApiResponse({ status: 409, description: 'no such relay, or not stopped on that event', content: PROBLEM })
  async skipRelay(@Param('name') name: string, @CommandBody() body: z.infer<typeof skipBody>, @Req() request: Request) {
    const actor = `api:${principalOf(request).sub}`;
    const checkpoint = await refusedAsConflict(() =>
      skipRelayEvent(this.database.pool, name, BigInt(body.position), actor),
    );
    return { name, position: checkpoint.position.toString() };
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Recompute every stream\u2019s hash chain; name the first broken link of each broken stream',
  })
  @ApiResponse({ status: 200, description: 'the report', schema: answerSchemaOf(verifyAnswer) })
  async verify() {
    const report = await this.database.eventStore.verify();
    return {
      ...report,
      brokenLinks: report.brokenLinks.map((link) => ({ ...link, position: link.position?.toString() })),
    };
  }

  private requireProjection(name: string): void {
    if (!this.projector.definitions.some((definition) => definition.name === name))
      throw new NotFoundException(`no projection named ${name}`);
  }
}
