import type { ApplicantEvent, ApplicantStage } from '@registry/domain';
import type { ProjectionDefinition } from '../projection';
import { domainEventOf } from '../runtime/domain-event';
import { eventsOf, isNew, unique } from '../runtime/stream-events';
import { keyedTable } from '../runtime/tables';

interface ApplicantRow {
  applicant_id: string;
  position: string;
  org_id: string;
  stage: ApplicantStage;
  applied_on: string;
  interviewed_on: string | null;
  activist_on: string | null;
  last_reviewed_on: string | null;
  candidate_on: string | null;
  training_hours: number;
  admitted_on: string | null;
  approved_on: string | null;
  member_id: string | null;
  withdrawn_on: string | null;
}

const APPLICANTS = keyedTable<ApplicantRow>('applicants', 'applicant_id', {
  applicant_id: 'uuid',
  position: 'bigint',
  org_id: 'uuid',
  stage: 'text',
  applied_on: 'date',
  interviewed_on: 'date',
  activist_on: 'date',
  last_reviewed_on: 'date',
  candidate_on: 'date',
  training_hours: 'integer',
  admitted_on: 'date',
  approved_on: 'date',
  member_id: 'uuid',
  withdrawn_on: 'date',
});
const COLUMNS = Object.keys(APPLICANTS.columns);

/** The development pipeline (发展党员): each applicant's stage and the business date each step was reached. */
export const developmentProjection: ProjectionDefinition = {
  name: 'development',
  version: 1,
  description: 'applicants for membership: the stage reached and the date of every step (发展党员)',

  categories: ['applicant'],
  rebuildWeight: 1,

  createTables: (s) => `
    CREATE TABLE ${s}.applicants (
      applicant_id uuid PRIMARY KEY, position bigint NOT NULL, org_id uuid NOT NULL, stage text NOT NULL,
      applied_on date NOT NULL, interviewed_on date, activist_on date, last_reviewed_on date, candidate_on date,
      training_hours integer NOT NULL, admitted_on date, approved_on date, member_id uuid, withdrawn_on date);`,

  createIndexes: (s) => `CREATE INDEX ON ${s}.applicants (org_id);`,

  views: (s) => [
    {
      name: 'applicants',
      comment: 'Applicants for membership (发展党员): stage and the business date of each step; no personal data',
      select: `SELECT ${COLUMNS.filter((c) => c !== 'position').join(', ')} FROM ${s}.applicants`,
    },
  ],

  async apply(tables, events) {
    const applicantEvents = eventsOf(events, 'applicant');
    if (applicantEvents.length === 0) return;
    const applicants = tables.keyed(APPLICANTS);
    const rows = await applicants.load(unique(applicantEvents.map(({ id }) => id)));
    const changed = new Map<string, ApplicantRow>();
    for (const { id, event } of applicantEvents) {
      const e = domainEventOf<ApplicantEvent>(event);
      let row = rows.get(id);
      if (e.type === 'ApplicationSubmitted') {
        if (row) continue;
        row = {
          applicant_id: id,
          position: event.position.toString(),
          org_id: e.data.orgId,
          stage: 'applicant',
          applied_on: e.data.appliedOn,
          interviewed_on: null,
          activist_on: null,
          last_reviewed_on: null,
          candidate_on: null,
          training_hours: 0,
          admitted_on: null,
          approved_on: null,
          member_id: null,
          withdrawn_on: null,
        };
        rows.set(id, row);
        changed.set(id, row);
        continue;
      }
      if (!row || !isNew(row, event)) continue;
      switch (e.type) {
        case 'ApplicantInterviewed':
          row.interviewed_on = e.data.interviewedOn;
          break;
        case 'ActivistDesignated':
          Object.assign(row, { stage: 'activist', activist_on: e.data.designatedOn });
          break;
        case 'ApplicantReviewed':
          if (row.last_reviewed_on === null || e.data.reviewedOn > row.last_reviewed_on)
            row.last_reviewed_on = e.data.reviewedOn;
          break;
        case 'CandidateDesignated':
          Object.assign(row, { stage: 'candidate', candidate_on: e.data.designatedOn });
          break;
        case 'ApplicantTrained':
          row.training_hours += e.data.hours;
          break;
        case 'ApplicantAdmitted':
          Object.assign(row, { stage: 'admitted', admitted_on: e.data.meetingOn });
          break;
        case 'ApplicantApproved':
          Object.assign(row, { stage: 'approved', approved_on: e.data.approvedOn, member_id: e.data.memberId });
          break;
        case 'ApplicationWithdrawn':
          Object.assign(row, { stage: 'withdrawn', withdrawn_on: e.data.effectiveOn });
          break;
        case 'ApplicantPersonalDataForgotten':
          break;
        default: {
          const unknown: never = e;
          return unknown;
        }
      }
      row.position = event.position.toString();
      changed.set(id, row);
    }
    await applicants.upsert([...changed.values()]);
  },
};
