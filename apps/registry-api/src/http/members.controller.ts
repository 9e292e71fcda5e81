import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { RegistryCommands } from '@registry/commands';
import { principalOf, PERSONAL_DATA_ROLES, Roles } from './auth';
import { commandOptions, sendOutcome } from './command-http';
import { CommandRoute } from './command-route';
import { MemberReader } from './member-reader';
import {
  assessDuesBody,
  effectiveOnBody,
  employmentBody,
  flowOutBody,
  leaveBody,
  lostContactBody,
  payDuesBody,
  reasonBody,
  registerMemberBody,
  transferBody,
} from './schemas';
import { parseBody, parseUuid } from './validation';

type Req_ = Request;
type Res_ = Response;

@ApiTags('members')
@Controller('v1/members')
export class MembersController {
  constructor(
    @Inject(RegistryCommands) private readonly commands: RegistryCommands,
    @Inject(MemberReader) private readonly reader: MemberReader,
  ) {}

  @CommandRoute({
    summary: 'Register a member (also one transferred in from outside the registry); personal fields are encrypted',
    body: registerMemberBody,
    status: 201,
  })
  async register(@Body() body: unknown, @Req() request: Req_, @Res({ passthrough: true }) response: Res_) {
    const input = parseBody(registerMemberBody, body);
    return sendOutcome(response, await this.commands.registerMember(input, commandOptions(request, response)));
  }

  @CommandRoute({ path: ':id/confirm', summary: 'Probationary → full member (转正)', body: effectiveOnBody })
  async confirm(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(effectiveOnBody, body);
    return sendOutcome(
      response,
      await this.commands.confirmMember(parseUuid(id, 'id'), input, commandOptions(request, response)),
    );
  }

  @CommandRoute({ path: ':id/employment', summary: 'Where the member works (unitId, or null)', body: employmentBody })
  async employment(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(employmentBody, body);
    return sendOutcome(
      response,
      await this.commands.changeEmployment(parseUuid(id, 'id'), input, commandOptions(request, response)),
    );
  }

  @CommandRoute({
    path: ':id/transfers',
    summary: 'Initiate a transfer of the organisational relation (介绍信); returns transferId',
    body: transferBody,
    status: 201,
  })
  async initiateTransfer(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(transferBody, body);
    return sendOutcome(
      response,
      await this.commands.initiateTransfer(parseUuid(id, 'id'), input, commandOptions(request, response)),
    );
  }

  @CommandRoute({
    path: ':id/transfers/:transferId/accept',
    summary: 'The receiving organisation accepts: the relation moves',
    body: effectiveOnBody,
  })
  async acceptTransfer(
    @Param('id') id: string,
    @Param('transferId') transferId: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(effectiveOnBody, body);
    const options = commandOptions(request, response);
    return sendOutcome(
      response,
      await this.commands.acceptTransfer(parseUuid(id, 'id'), parseUuid(transferId, 'transferId'), input, options),
    );
  }

  @CommandRoute({
    path: ':id/transfers/:transferId/reject',
    summary: 'The receiving organisation rejects the transfer',
    body: reasonBody,
  })
  async rejectTransfer(
    @Param('id') id: string,
    @Param('transferId') transferId: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(reasonBody, body);
    const options = commandOptions(request, response);
    return sendOutcome(
      response,
      await this.commands.rejectTransfer(parseUuid(id, 'id'), parseUuid(transferId, 'transferId'), input, options),
    );
  }

  @CommandRoute({
    path: ':id/transfers/:transferId/cancel',
    summary: 'The sending side cancels the transfer',
    body: reasonBody,
  })
  async cancelTransfer(
    @Param('id') id: string,
    @Param('transferId') transferId: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(reasonBody, body);
    const options = commandOptions(request, response);
    return sendOutcome(
      response,
      await this.commands.cancelTransfer(parseUuid(id, 'id'), parseUuid(transferId, 'transferId'), input, options),
    );
  }

  @CommandRoute({
    path: ':id/flow-out',
    summary: 'A flowing member (流动党员): relation kept at home, looked after by the host',
    body: flowOutBody,
  })
  async flowOut(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(flowOutBody, body);
    return sendOutcome(
      response,
      await this.commands.flowOut(parseUuid(id, 'id'), input, commandOptions(request, response)),
    );
  }

  @CommandRoute({ path: ':id/flow-return', summary: 'The flowing member returns', body: effectiveOnBody })
  async flowReturn(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(effectiveOnBody, body);
    return sendOutcome(
      response,
      await this.commands.flowReturn(parseUuid(id, 'id'), input, commandOptions(request, response)),
    );
  }

  @CommandRoute({ path: ':id/lost-contact', summary: 'Out of contact (失联) since a date', body: lostContactBody })
  async lostContact(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(lostContactBody, body);
    return sendOutcome(
      response,
      await this.commands.markLostContact(parseUuid(id, 'id'), input, commandOptions(request, response)),
    );
  }

  @CommandRoute({ path: ':id/contact-restored', summary: 'Contact restored', body: effectiveOnBody })
  async contactRestored(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(effectiveOnBody, body);
    return sendOutcome(
      response,
      await this.commands.restoreContact(parseUuid(id, 'id'), input, commandOptions(request, response)),
    );
  }

  @CommandRoute({
    path: ':id/dues/assessments',
    summary: 'Assess monthly dues from the rate table',
    body: assessDuesBody,
  })
  async assessDues(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(assessDuesBody, body);
    return sendOutcome(
      response,
      await this.commands.assessDues(parseUuid(id, 'id'), input, commandOptions(request, response)),
    );
  }

  @CommandRoute({
    path: ':id/dues/payments',
    summary: 'Dues paid for listed months (no month twice)',
    body: payDuesBody,
  })
  async payDues(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(payDuesBody, body);
    return sendOutcome(
      response,
      await this.commands.payDues(parseUuid(id, 'id'), input, commandOptions(request, response)),
    );
  }

  @CommandRoute({
    path: ':id/leave',
    summary: 'Membership ends (deceased, expelled, withdrew, self-withdrawal)',
    body: leaveBody,
  })
  async leave(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Req_,
    @Res({ passthrough: true }) response: Res_,
  ) {
    const input = parseBody(leaveBody, body);
    return sendOutcome(
      response,
      await this.commands.recordLeaving(parseUuid(id, 'id'), input, commandOptions(request, response)),
    );
  }

  @Delete(':id/personal-data')
  @HttpCode(200)
  @Roles('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Forget the person (crypto-shredding): the data key is destroyed, history and counts stay' })
  @ApiResponse({ status: 200, description: 'forgotten (or already forgotten)' })
  async forget(@Param('id') id: string, @Req() request: Req_, @Res({ passthrough: true }) response: Res_) {
    return sendOutcome(
      response,
      await this.commands.forgetPersonalData(parseUuid(id, 'id'), commandOptions(request, response)),
    );
  }

  @Get(':id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The member, from their stream; personal fields only for registrar, auditor and admin' })
  @ApiResponse({ status: 200, description: 'the member' })
  @ApiResponse({ status: 404, description: 'unknown id' })
  async member(@Param('id') id: string, @Req() request: Req_, @Res({ passthrough: true }) response: Res_) {
    const principal = principalOf(request);
    const withPersonalData = principal.roles.some((role) => PERSONAL_DATA_ROLES.includes(role));
    const { view, streamVersion } = await this.reader.member(parseUuid(id, 'id'), withPersonalData);
    response.setHeader('ETag', `"${streamVersion}"`);
    return view;
  }

  @Get(':id/history')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The member\u2019s events, oldest first, with recorded time, effective date and actor' })
  @ApiResponse({ status: 200, description: 'the events' })
  @ApiResponse({ status: 404, description: 'unknown id' })
  async history(@Param('id') id: string) {
    return { events: await this.reader.history(parseUuid(id, 'id')) };
  }
}
