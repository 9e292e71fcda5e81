import { Body, Controller, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RegistryCommands } from '@registry/commands';
import { commandOptions, sendOutcome } from './command-http';
import { CommandRoute } from './command-route';
import {
  addUnitBody,
  dissolveBody,
  effectiveOnBody,
  establishOrganizationBody,
  renameBody,
  reparentBody,
  secretaryBody,
} from './schemas';
import { parseBody, parseUuid } from './validation';

@ApiTags('organizations')
@Controller('v1/organizations')
export class OrganizationsController {
  constructor(@Inject(RegistryCommands) private readonly commands: RegistryCommands) {}

  @CommandRoute({
    summary: 'Establish an organisation of any level and form; a joint form is JointBranchFormed (two or more units)',
    body: establishOrganizationBody,
    status: 201,
  })
  async establish(@Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const input = parseBody(establishOrganizationBody, body);
    return sendOutcome(response, await this.commands.establishOrganization(input, commandOptions(request, response)));
  }

  @CommandRoute({ path: ':id/units', summary: 'A unit joins the organisation', body: addUnitBody })
  async addUnit(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const organizationId = parseUuid(id, 'id');
    const input = parseBody(addUnitBody, body);
    return sendOutcome(response, await this.commands.addUnit(organizationId, input, commandOptions(request, response)));
  }

  @CommandRoute({ path: ':id/units/:unitId/leave', summary: 'A unit leaves the organisation', body: effectiveOnBody })
  async removeUnit(
    @Param('id') id: string,
    @Param('unitId') unitIdParam: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const organizationId = parseUuid(id, 'id');
    const unitId = parseUuid(unitIdParam, 'unitId');
    const input = parseBody(effectiveOnBody, body);
    return sendOutcome(
      response,
      await this.commands.removeUnit(organizationId, unitId, input, commandOptions(request, response)),
    );
  }

  @CommandRoute({
    path: ':id/reparent',
    summary: 'Move the organisation and its subtree under another parent (no cycles)',
    body: reparentBody,
  })
  async reparent(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const organizationId = parseUuid(id, 'id');
    const input = parseBody(reparentBody, body);
    return sendOutcome(
      response,
      await this.commands.reparentOrganization(organizationId, input, commandOptions(request, response)),
    );
  }

  @CommandRoute({ path: ':id/rename', summary: 'Rename the organisation', body: renameBody })
  async rename(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const organizationId = parseUuid(id, 'id');
    const input = parseBody(renameBody, body);
    return sendOutcome(
      response,
      await this.commands.renameOrganization(organizationId, input, commandOptions(request, response)),
    );
  }

  @CommandRoute({
    path: ':id/secretary',
    summary: 'Appoint a member of the organisation as its secretary',
    body: secretaryBody,
  })
  async appointSecretary(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const organizationId = parseUuid(id, 'id');
    const input = parseBody(secretaryBody, body);
    return sendOutcome(
      response,
      await this.commands.appointSecretary(organizationId, input, commandOptions(request, response)),
    );
  }

  @CommandRoute({
    path: ':id/dissolve',
    summary: 'Dissolve the organisation; refused while it has members or children',
    body: dissolveBody,
  })
  async dissolve(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const organizationId = parseUuid(id, 'id');
    const input = parseBody(dissolveBody, body);
    return sendOutcome(
      response,
      await this.commands.dissolveOrganization(organizationId, input, commandOptions(request, response)),
    );
  }
}
