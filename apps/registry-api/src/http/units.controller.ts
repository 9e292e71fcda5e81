import { Body, Controller, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RegistryCommands } from '@registry/commands';
import { commandOptions, sendOutcome } from './command-http';
import { CommandRoute } from './command-route';
import { assignInstructorBody, effectiveOnBody, registerUnitBody } from './schemas';
import { parseBody, parseUuid } from './validation';

@ApiTags('units')
@Controller('v1/units')
export class UnitsController {
  constructor(@Inject(RegistryCommands) private readonly commands: RegistryCommands) {}

  @CommandRoute({ summary: 'Register a unit (两新组织): UnitRegistered', body: registerUnitBody, status: 201 })
  async register(@Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const input = parseBody(registerUnitBody, body);
    return sendOutcome(response, await this.commands.registerUnit(input, commandOptions(request, response)));
  }

  @CommandRoute({
    path: ':id/instructors',
    summary: 'Assign a party-building instructor (党建指导员)',
    body: assignInstructorBody,
  })
  async assignInstructor(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const unitId = parseUuid(id, 'id');
    const input = parseBody(assignInstructorBody, body);
    return sendOutcome(
      response,
      await this.commands.assignInstructor(unitId, input, commandOptions(request, response)),
    );
  }

  @CommandRoute({ path: ':id/close', summary: 'Close a unit', body: effectiveOnBody })
  async close(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const unitId = parseUuid(id, 'id');
    const input = parseBody(effectiveOnBody, body);
    return sendOutcome(response, await this.commands.closeUnit(unitId, input, commandOptions(request, response)));
  }
}
