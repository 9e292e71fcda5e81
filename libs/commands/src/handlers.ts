import { AssignInstructorHandler } from './unit/assign-instructor';
import { CloseUnitHandler } from './unit/close-unit';
import { RegisterUnitHandler } from './unit/register-unit';
import { WithdrawInstructorHandler } from './unit/withdraw-instructor';
import { AddUnitHandler } from './organization/add-unit';
import { AppointSecretaryHandler } from './organization/appoint-secretary';
import { CommitteeHandler } from './organization/committee.query';
import { DissolveOrganizationHandler } from './organization/dissolve-organization';
import { ElectCommitteeHandler } from './organization/elect-committee';
import { PostponeElectionHandler } from './organization/postpone-election';
import { RecordMeetingHandler } from './organization/record-meeting';
import { RecordRatingHandler } from './organization/record-rating';
import { EstablishOrganizationHandler } from './organization/establish-organization';
import {
  OrganizationHandler,
  OrganizationTreeHandler,
  OrganizationRootsHandler,
} from './organization/organization.query';
import { RemoveUnitHandler } from './organization/remove-unit';
import { RenameOrganizationHandler } from './organization/rename-organization';
import { ReparentOrganizationHandler } from './organization/reparent-organization';
import { ApplicantHandler } from './applicant/applicant.query';
import { ApproveApplicantHandler } from './applicant/approve-applicant';
import { ForgetApplicantPersonalDataHandler } from './applicant/forget-applicant-personal-data';
import { RecordApplicantStepHandler } from './applicant/record-step';
import { SubmitApplicationHandler } from './applicant/submit-application';
import { DepartInflowHandler } from './inflow/depart-inflow';
import { ForgetInflowPersonalDataHandler } from './inflow/forget-inflow-personal-data';
import { RegisterInflowingMemberHandler } from './inflow/register-inflowing-member';
import { AcceptTransferHandler } from './member/accept-transfer';
import { AnnulProbationHandler } from './member/annul-probation';
import { AssessDuesHandler } from './member/assess-dues';
import { CancelTransferHandler } from './member/cancel-transfer';
import { ChangeEmploymentHandler } from './member/change-employment';
import { ExtendProbationHandler } from './member/extend-probation';
import { ConfirmMemberHandler } from './member/confirm-member';
import { FlowOutHandler } from './member/flow-out';
import { FlowReturnHandler } from './member/flow-return';
import { ForgetPersonalDataHandler } from './member/forget-personal-data';
import { InitiateTransferHandler } from './member/initiate-transfer';
import { MarkLostContactHandler } from './member/mark-lost-contact';
import { MemberHandler } from './member/member.query';
import { PayDuesHandler } from './member/pay-dues';
import { RecordAppraisalHandler } from './member/record-appraisal';
import { RecordPointsHandler } from './member/record-points';
import { RecordLeavingHandler } from './member/record-leaving';
import { RegisterMemberHandler } from './member/register-member';
import { ReinstateMemberHandler } from './member/reinstate-member';
import { RejectTransferHandler } from './member/reject-transfer';
import { RestoreContactHandler } from './member/restore-contact';
import { SuspendMemberHandler } from './member/suspend-member';
import { HistoryHandler } from './audit/history.query';
import { StreamHandler } from './audit/stream.query';
import { AppraisalsHandler, PointsHandler, RatingsHandler } from './reports/appraisal.query';
import { OrganizationalLifeHandler } from './reports/organizational-life.query';
import { EstablishGridHandler } from './grid/establish-grid';
import { JoinGridHandler, LeaveGridHandler } from './grid/grid-units';
import { GridHandler } from './grid/grid.query';
import { CoverageHandler, ShouldEstablishHandler } from './reports/coverage.query';
import { DuesHandler, DuesArrearsHandler, DuesRowsHandler } from './reports/dues.query';
import { DevelopmentHandler } from './reports/development.query';
import { FlowingHandler } from './reports/flowing.query';
import { LostContactHandler } from './reports/lost-contact.query';
import { TermsHandler } from './reports/terms.query';
import { TransfersHandler } from './reports/transfers.query';
import { EventFeedHandler } from './feed/event-feed.query';

/** Every command handler, for a module's providers beside `CqrsModule`. */
export const COMMAND_HANDLERS = [
  AssignInstructorHandler,
  CloseUnitHandler,
  RegisterUnitHandler,
  WithdrawInstructorHandler,
  AddUnitHandler,
  AppointSecretaryHandler,
  DissolveOrganizationHandler,
  ElectCommitteeHandler,
  PostponeElectionHandler,
  RecordRatingHandler,
  RecordMeetingHandler,
  EstablishGridHandler,
  JoinGridHandler,
  LeaveGridHandler,
  EstablishOrganizationHandler,
  RemoveUnitHandler,
  RenameOrganizationHandler,
  ReparentOrganizationHandler,
  SubmitApplicationHandler,
  RecordApplicantStepHandler,
  ApproveApplicantHandler,
  ForgetApplicantPersonalDataHandler,
  DepartInflowHandler,
  ForgetInflowPersonalDataHandler,
  RegisterInflowingMemberHandler,
  AcceptTransferHandler,
  AnnulProbationHandler,
  AssessDuesHandler,
  CancelTransferHandler,
  ChangeEmploymentHandler,
  ExtendProbationHandler,
  ConfirmMemberHandler,
  FlowOutHandler,
  FlowReturnHandler,
  ForgetPersonalDataHandler,
  InitiateTransferHandler,
  MarkLostContactHandler,
  PayDuesHandler,
  RecordLeavingHandler,
  RecordAppraisalHandler,
  RecordPointsHandler,
  RegisterMemberHandler,
  ReinstateMemberHandler,
  RejectTransferHandler,
  RestoreContactHandler,
  SuspendMemberHandler,
];

/** Every query handler; the API and the CLI register the same ones. */
export const QUERY_HANDLERS = [
  OrganizationHandler,
  OrganizationTreeHandler,
  OrganizationRootsHandler,
  CommitteeHandler,
  MemberHandler,
  ApplicantHandler,
  HistoryHandler,
  StreamHandler,
  CoverageHandler,
  ShouldEstablishHandler,
  DuesHandler,
  DuesArrearsHandler,
  DuesRowsHandler,
  FlowingHandler,
  LostContactHandler,
  DevelopmentHandler,
  TermsHandler,
  RatingsHandler,
  AppraisalsHandler,
  OrganizationalLifeHandler,
  GridHandler,
  PointsHandler,
  TransfersHandler,
  EventFeedHandler,
];
