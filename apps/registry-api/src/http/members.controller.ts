import { Controller, Get, Inject } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AcceptTransferCommand,
  AnnulProbationCommand,
  AssessDuesCommand,
  CancelTransferCommand,
  ChangeEmploymentCommand,
  type CommandOptions,
  ConfirmMemberCommand,
  ExtendProbationCommand,
  FlowOutCommand,
  FlowReturnCommand,
  ForgetPersonalDataCommand,
  HistoryQuery,
  InitiateTransferCommand,
  MarkLostContactCommand,
  MemberQuery,
  PayDuesCommand,
  RecordLeavingCommand,
  RegisterMemberCommand,
  ReinstateMemberCommand,
  RejectTransferCommand,
  RestoreContactCommand,
  SuspendMemberCommand,
  RecordAppraisalCommand,
  RecordPointsCommand,
} from '@registry/commands';
import { answerSchemaOf, memberAnswer, memberHistoryAnswer } from './answers';
import { CommandRoute, ForgetRoute } from './command-route';
import { CommandBody, ETagFromStreamVersion, RequestOptions, SeesPersonalData, UuidParam } from './parameters';
import { RateLimit } from './rate-limits';
import {
  acceptTransferBody,
  annulProbationBody,
  appraisalBody,
  assessDuesBody,
  decidedOnBody,
  effectiveOnBody,
  employmentBody,
  extendProbationBody,
  flowOutBody,
  leaveBody,
  lostContactBody,
  payDuesBody,
  pointsBody,
  reasonBody,
  registerMemberBody,
  transferBody,
} from './schemas';

@ApiTags('members')
@Controller('v1/members')
export class MembersController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @CommandRoute({
    summary: 'Register a member (also one transferred in from outside the registry); personal fields are encrypted',
    body: registerMemberBody,
    status: 201,
  })
  register(@CommandBody() input: RegisterMemberCommand['input'], @RequestOptions() options: CommandOptions) {
    return this.commands.execute(new RegisterMemberCommand(input, options));
  }

  @CommandRoute({ path: ':id/confirm', summary: 'Probationary → full member (转正)', body: effectiveOnBody })
  confirm(
    @UuidParam('id') memberId: string,
    @CommandBody() input: ConfirmMemberCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new ConfirmMemberCommand(memberId, input, options));
  }

  @CommandRoute({
    path: ':id/probation/extend',
    summary: 'Extend the probation once, by 6 to 12 months (延长预备期)',
    body: extendProbationBody,
  })
  extendProbation(
    @UuidParam('id') memberId: string,
    @CommandBody() input: ExtendProbationCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new ExtendProbationCommand(memberId, input, options));
  }

  @CommandRoute({
    path: ':id/probation/annul',
    summary: 'Annul the probation (取消预备党员资格): the membership ends',
    body: annulProbationBody,
  })
  annulProbation(
    @UuidParam('id') memberId: string,
    @CommandBody() input: AnnulProbationCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new AnnulProbationCommand(memberId, input, options));
  }

  @CommandRoute({
    path: ':id/suspend',
    summary: 'Suspend the membership (停止党籍) of a member out of contact for 6 months or more',
    body: decidedOnBody,
  })
  suspend(
    @UuidParam('id') memberId: string,
    @CommandBody() input: SuspendMemberCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new SuspendMemberCommand(memberId, input, options));
  }

  @CommandRoute({
    path: ':id/reinstate',
    summary: 'Reinstate a suspended member (contact restored)',
    body: decidedOnBody,
  })
  reinstate(
    @UuidParam('id') memberId: string,
    @CommandBody() input: ReinstateMemberCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new ReinstateMemberCommand(memberId, input, options));
  }

  @CommandRoute({ path: ':id/employment', summary: 'Where the member works (unitId, or null)', body: employmentBody })
  employment(
    @UuidParam('id') memberId: string,
    @CommandBody() input: ChangeEmploymentCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new ChangeEmploymentCommand(memberId, input, options));
  }

  @CommandRoute({
    path: ':id/transfers',
    summary: 'Initiate a transfer of the organisational relation (介绍信); returns transferId',
    body: transferBody,
    status: 201,
  })
  initiateTransfer(
    @UuidParam('id') memberId: string,
    @CommandBody() input: InitiateTransferCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new InitiateTransferCommand(memberId, input, options));
  }

  @CommandRoute({
    path: ':id/transfers/:transferId/accept',
    summary:
      'The receiving organisation accepts: the relation moves (warning letter-expired past the letter’s validity)',
    body: acceptTransferBody,
  })
  acceptTransfer(
    @UuidParam('id') memberId: string,
    @UuidParam('transferId') transferId: string,
    @CommandBody() input: AcceptTransferCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new AcceptTransferCommand(memberId, transferId, input, options));
  }

  @CommandRoute({
    path: ':id/transfers/:transferId/reject',
    summary: 'The receiving organisation rejects the transfer',
    body: reasonBody,
  })
  rejectTransfer(
    @UuidParam('id') memberId: string,
    @UuidParam('transferId') transferId: string,
    @CommandBody() input: RejectTransferCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new RejectTransferCommand(memberId, transferId, input, options));
  }

  @CommandRoute({
    path: ':id/transfers/:transferId/cancel',
    summary: 'The sending side cancels the transfer',
    body: reasonBody,
  })
  cancelTransfer(
    @UuidParam('id') memberId: string,
    @UuidParam('transferId') transferId: string,
    @CommandBody() input: CancelTransferCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new CancelTransferCommand(memberId, transferId, input, options));
  }

  @CommandRoute({
    path: ':id/flow-out',
    summary: 'A flowing member (流动党员): relation kept at home, looked after by the host',
    body: flowOutBody,
  })
  flowOut(
    @UuidParam('id') memberId: string,
    @CommandBody() input: FlowOutCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new FlowOutCommand(memberId, input, options));
  }

  @CommandRoute({ path: ':id/flow-return', summary: 'The flowing member returns', body: effectiveOnBody })
  flowReturn(
    @UuidParam('id') memberId: string,
    @CommandBody() input: FlowReturnCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new FlowReturnCommand(memberId, input, options));
  }

  @CommandRoute({ path: ':id/lost-contact', summary: 'Out of contact (失联) since a date', body: lostContactBody })
  lostContact(
    @UuidParam('id') memberId: string,
    @CommandBody() input: MarkLostContactCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new MarkLostContactCommand(memberId, input, options));
  }

  @CommandRoute({ path: ':id/contact-restored', summary: 'Contact restored', body: effectiveOnBody })
  contactRestored(
    @UuidParam('id') memberId: string,
    @CommandBody() input: RestoreContactCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new RestoreContactCommand(memberId, input, options));
  }

  @CommandRoute({
    path: ':id/dues/assessments',
    summary: 'Assess monthly dues from the rate table',
    body: assessDuesBody,
  })
  assessDues(
    @UuidParam('id') memberId: string,
    @CommandBody() input: AssessDuesCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new AssessDuesCommand(memberId, input, options));
  }

  @CommandRoute({
    path: ':id/dues/payments',
    summary: 'Dues paid for listed months (no month twice)',
    body: payDuesBody,
  })
  payDues(
    @UuidParam('id') memberId: string,
    @CommandBody() input: PayDuesCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new PayDuesCommand(memberId, input, options));
  }

  @CommandRoute({
    path: ':id/leave',
    summary: 'Membership ends (deceased, expelled, withdrew, self-withdrawal)',
    body: leaveBody,
  })
  leave(
    @UuidParam('id') memberId: string,
    @CommandBody() input: RecordLeavingCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new RecordLeavingCommand(memberId, input, options));
  }

  @CommandRoute({
    path: ':id/appraisals',
    summary: 'The member\u2019s grade for a year (民主评议)',
    body: appraisalBody,
  })
  appraise(
    @UuidParam('id') memberId: string,
    @CommandBody() input: RecordAppraisalCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new RecordAppraisalCommand(memberId, input, options));
  }

  @CommandRoute({
    path: ':id/points',
    summary: 'Points added to or taken from the member\u2019s year (积分)',
    body: pointsBody,
  })
  recordPoints(
    @UuidParam('id') memberId: string,
    @CommandBody() input: RecordPointsCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new RecordPointsCommand(memberId, input, options));
  }

  @ForgetRoute('Forget the person (crypto-shredding): the data key is destroyed, history and counts stay')
  forget(@UuidParam('id') memberId: string, @RequestOptions() options: CommandOptions) {
    return this.commands.execute(new ForgetPersonalDataCommand(memberId, options));
  }

  @Get(':id')
  @ETagFromStreamVersion()
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The member, from their stream; personal fields only for registrar, auditor and admin' })
  @ApiResponse({ status: 200, description: 'the member', schema: answerSchemaOf(memberAnswer) })
  @ApiResponse({ status: 404, description: 'unknown id' })
  member(@UuidParam('id') memberId: string, @SeesPersonalData() withPersonalData: boolean) {
    return this.queries.execute(new MemberQuery(memberId, withPersonalData));
  }

  @Get(':id/history')
  @RateLimit('exports')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The member\u2019s events, oldest first, with recorded time, effective date and actor' })
  @ApiResponse({ status: 200, description: 'the events', schema: answerSchemaOf(memberHistoryAnswer) })
  @ApiResponse({ status: 404, description: 'unknown id' })
  history(@UuidParam('id') memberId: string) {
    return this.queries.execute(new HistoryQuery('member', memberId));
  }
}
