import { Controller, Get, Inject } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ApplicantQuery,
  type ApplicantStep,
  ApproveApplicantCommand,
  type CommandOptions,
  ForgetApplicantPersonalDataCommand,
  HistoryQuery,
  RecordApplicantStepCommand,
  SubmitApplicationCommand,
} from '@registry/commands';
import { answerSchemaOf, applicantAnswer, memberHistoryAnswer } from './answers';
import { CommandRoute, ForgetRoute } from './command-route';
import { CommandBody, ETagFromStreamVersion, RequestOptions, SeesPersonalData, UuidParam } from './parameters';
import { RateLimit } from './rate-limits';
import {
  activistBody,
  admissionBody,
  applicationBody,
  approvalBody,
  candidateBody,
  interviewBody,
  reviewBody,
  trainingBody,
  withdrawalBody,
} from './schemas';

type Input<K extends ApplicantStep['kind']> = Extract<ApplicantStep, { kind: K }>['input'];

/** The development pipeline (发展党员): one route per step, each a command on the applicant's stream. */
@ApiTags('applicants')
@Controller('v1/applicants')
export class ApplicantsController {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(QueryBus) private readonly queries: QueryBus,
  ) {}

  @CommandRoute({
    summary: 'An application to join (入党申请); personal fields are encrypted',
    body: applicationBody,
    status: 201,
  })
  submit(@CommandBody() input: SubmitApplicationCommand['input'], @RequestOptions() options: CommandOptions) {
    return this.commands.execute(new SubmitApplicationCommand(input, options));
  }

  @CommandRoute({ path: ':id/interview', summary: 'The organisation talked with the applicant', body: interviewBody })
  interview(
    @UuidParam('id') id: string,
    @CommandBody() input: Input<'interview'>,
    @RequestOptions() o: CommandOptions,
  ) {
    return this.step(id, { kind: 'interview', input }, o);
  }

  @CommandRoute({ path: ':id/activist', summary: 'Designated an activist (入党积极分子)', body: activistBody })
  activist(@UuidParam('id') id: string, @CommandBody() input: Input<'activist'>, @RequestOptions() o: CommandOptions) {
    return this.step(id, { kind: 'activist', input }, o);
  }

  @CommandRoute({ path: ':id/reviews', summary: 'A half-yearly review of an activist (考察)', body: reviewBody })
  review(@UuidParam('id') id: string, @CommandBody() input: Input<'review'>, @RequestOptions() o: CommandOptions) {
    return this.step(id, { kind: 'review', input }, o);
  }

  @CommandRoute({ path: ':id/candidate', summary: 'Designated a candidate (发展对象)', body: candidateBody })
  candidate(
    @UuidParam('id') id: string,
    @CommandBody() input: Input<'candidate'>,
    @RequestOptions() o: CommandOptions,
  ) {
    return this.step(id, { kind: 'candidate', input }, o);
  }

  @CommandRoute({ path: ':id/training', summary: 'Concentrated training completed (hours add up)', body: trainingBody })
  training(@UuidParam('id') id: string, @CommandBody() input: Input<'training'>, @RequestOptions() o: CommandOptions) {
    return this.step(id, { kind: 'training', input }, o);
  }

  @CommandRoute({ path: ':id/admission', summary: 'The branch general meeting admits', body: admissionBody })
  admission(
    @UuidParam('id') id: string,
    @CommandBody() input: Input<'admission'>,
    @RequestOptions() o: CommandOptions,
  ) {
    return this.step(id, { kind: 'admission', input }, o);
  }

  @CommandRoute({
    path: ':id/approve',
    summary: 'The higher committee approves: the applicant becomes a probationary member (answers memberId)',
    body: approvalBody,
  })
  approve(
    @UuidParam('id') id: string,
    @CommandBody() input: ApproveApplicantCommand['input'],
    @RequestOptions() options: CommandOptions,
  ) {
    return this.commands.execute(new ApproveApplicantCommand(id, input, options));
  }

  @CommandRoute({ path: ':id/withdraw', summary: 'The application ends', body: withdrawalBody })
  withdraw(
    @UuidParam('id') id: string,
    @CommandBody() input: Input<'withdrawal'>,
    @RequestOptions() o: CommandOptions,
  ) {
    return this.step(id, { kind: 'withdrawal', input }, o);
  }

  @ForgetRoute('Forget the applicant (crypto-shredding); an approved one is forgotten as a member too')
  forget(@UuidParam('id') id: string, @RequestOptions() options: CommandOptions) {
    return this.commands.execute(new ForgetApplicantPersonalDataCommand(id, options));
  }

  @Get(':id')
  @ETagFromStreamVersion()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'The applicant, from their stream: stage and steps; personal fields for registrar, auditor and admin',
  })
  @ApiResponse({ status: 200, description: 'the applicant', schema: answerSchemaOf(applicantAnswer) })
  @ApiResponse({ status: 404, description: 'unknown id' })
  applicant(@UuidParam('id') id: string, @SeesPersonalData() withPersonalData: boolean) {
    return this.queries.execute(new ApplicantQuery(id, withPersonalData));
  }

  @Get(':id/history')
  @RateLimit('exports')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The applicant\u2019s events, oldest first, with recorded time, effective date and actor' })
  @ApiResponse({ status: 200, description: 'the events', schema: answerSchemaOf(memberHistoryAnswer) })
  @ApiResponse({ status: 404, description: 'unknown id' })
  history(@UuidParam('id') id: string) {
    return this.queries.execute(new HistoryQuery('applicant', id));
  }

  private step(applicantId: string, step: ApplicantStep, options: CommandOptions) {
    return this.commands.execute(new RecordApplicantStepCommand(applicantId, step, options));
  }
}
