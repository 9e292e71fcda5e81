import { Controller, Inject } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import {
  AddUnitCommand,
  AppointSecretaryCommand,
  type CommandOptions,
  DissolveOrganizationCommand,
  ElectCommitteeCommand,
  EstablishOrganizationCommand,
  PostponeElectionCommand,
  RecordMeetingCommand,
  RecordRatingCommand,
  RemoveUnitCommand,
  RenameOrganizationCommand,
  ReparentOrganizationCommand,
} from '@registry/commands';
import { CommandRoute } from './command-route';
import { CommandBody, RequestOptions, UuidParam } from './parameters';
import {
  addUnitBody,
  committeeBody,
  dissolveBody,
  effectiveOnBody,
  meetingBody,
  establishOrganizationBody,
  postponementBody,
  ratingBody,
  renameBody,
  reparentBody,
  secretaryBody,
} from './schemas';

@ApiTags('organizations')
@Controller('v1/organizations')
export class OrganizationsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @CommandRoute({
    summary: 'Establish an organisation of any level and form; a joint form is JointBranchFormed (two or more units)',
    body: establishOrganizationBody,
    status: 201,
  })
  establish(@CommandBody() input: EstablishOrganizationCommand['input'], @RequestOptions() options: CommandOptions) {
    return this.commands.execute(new EstablishOrganizationCommand(input, options));
  }

  @CommandRoute({ path: ':id/units', summary: 'A unit joins the organisation', body: addUnitBody })
  addUnit(
    @UuidParam('id') organizationId: string,
    @CommandBody() input: AddUnitCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new AddUnitCommand(organizationId, input, options));
  }

  @CommandRoute({ path: ':id/units/:unitId/leave', summary: 'A unit leaves the organisation', body: effectiveOnBody })
  removeUnit(
    @UuidParam('id') organizationId: string,
    @UuidParam('unitId') unitId: string,
    @CommandBody() input: RemoveUnitCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new RemoveUnitCommand(organizationId, unitId, input, options));
  }

  @CommandRoute({
    path: ':id/reparent',
    summary: 'Move the organisation and its subtree under another parent (no cycles)',
    body: reparentBody,
  })
  reparent(
    @UuidParam('id') organizationId: string,
    @CommandBody() input: ReparentOrganizationCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new ReparentOrganizationCommand(organizationId, input, options));
  }

  @CommandRoute({ path: ':id/rename', summary: 'Rename the organisation', body: renameBody })
  rename(
    @UuidParam('id') organizationId: string,
    @CommandBody() input: RenameOrganizationCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new RenameOrganizationCommand(organizationId, input, options));
  }

  @CommandRoute({
    path: ':id/secretary',
    summary: 'Appoint a member of the organisation as its secretary',
    body: secretaryBody,
  })
  appointSecretary(
    @UuidParam('id') organizationId: string,
    @CommandBody() input: AppointSecretaryCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new AppointSecretaryCommand(organizationId, input, options));
  }

  @CommandRoute({
    path: ':id/committee',
    summary: 'Elect the committee (换届): one secretary, full members of the organisation on electedOn; a term begins',
    body: committeeBody,
  })
  electCommittee(
    @UuidParam('id') organizationId: string,
    @CommandBody() input: ElectCommitteeCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new ElectCommitteeCommand(organizationId, input, options));
  }

  @CommandRoute({
    path: ':id/election-postponed',
    summary: 'The election is put off with approval, at most a year past the term’s end',
    body: postponementBody,
  })
  postponeElection(
    @UuidParam('id') organizationId: string,
    @CommandBody() input: PostponeElectionCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new PostponeElectionCommand(organizationId, input, options));
  }

  @CommandRoute({
    path: ':id/ratings',
    summary: 'The organisation\u2019s stars for a year (星级创建)',
    body: ratingBody,
  })
  rate(
    @UuidParam('id') organizationId: string,
    @CommandBody() input: RecordRatingCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new RecordRatingCommand(organizationId, input, options));
  }

  @CommandRoute({
    path: ':id/meetings',
    summary: 'A meeting (三会一课) with who attended: members of the organisation or flowing members it hosts',
    body: meetingBody,
  })
  recordMeeting(
    @UuidParam('id') organizationId: string,
    @CommandBody() input: RecordMeetingCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new RecordMeetingCommand(organizationId, input, options));
  }

  @CommandRoute({
    path: ':id/dissolve',
    summary: 'Dissolve the organisation; refused while it has members or children',
    body: dissolveBody,
  })
  dissolve(
    @UuidParam('id') organizationId: string,
    @CommandBody() input: DissolveOrganizationCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new DissolveOrganizationCommand(organizationId, input, options));
  }
}
