import type { OrganizationEvent } from '@registry/domain';
import type { ProjectionDefinition } from '../projection';
import { domainEventOf } from '../runtime/domain-event';
import { eventsOf, unique } from '../runtime/stream-events';
import { insertOnce, keyedTable } from '../runtime/tables';

interface MeetingRow {
  meeting_key: string;
  position: string;
  org_id: string;
  kind: string;
  held_on: string;
  attendees: number;
}

interface AttendanceRow {
  attendance_key: string;
  position: string;
  org_id: string;
  member_id: string;
  held_on: string;
}

interface CommitteeRow {
  committee_key: string;
  position: string;
  org_id: string;
  elected_on: string;
  seats: number;
}

const MEETINGS = keyedTable<MeetingRow>('meetings', 'meeting_key', {
  meeting_key: 'text',
  position: 'bigint',
  org_id: 'uuid',
  kind: 'text',
  held_on: 'date',
  attendees: 'integer',
});
const ATTENDANCE = keyedTable<AttendanceRow>('meeting_attendance', 'attendance_key', {
  attendance_key: 'text',
  position: 'bigint',
  org_id: 'uuid',
  member_id: 'uuid',
  held_on: 'date',
});
const COMMITTEES = keyedTable<CommitteeRow>('committee_elections', 'committee_key', {
  committee_key: 'text',
  position: 'bigint',
  org_id: 'uuid',
  elected_on: 'date',
  seats: 'integer',
});

/**
 * Organisational life (三会一课): each meeting, who attended it (members, and flowing members at their
 * host), and each committee's size from its election (only a committee of three or more meets as one).
 * Every row is one event's, keyed by its position: applied again, it is already there.
 */
export const meetingsProjection: ProjectionDefinition = {
  name: 'meetings',
  version: 1,
  description: 'meetings (三会一课) with their attendance, and committee sizes by election, in business time',

  categories: ['organization'],
  rebuildWeight: 1,

  createTables: (s) => `
    CREATE TABLE ${s}.meetings (
      meeting_key text PRIMARY KEY, position bigint NOT NULL, org_id uuid NOT NULL, kind text NOT NULL,
      held_on date NOT NULL, attendees integer NOT NULL);
    CREATE TABLE ${s}.meeting_attendance (
      attendance_key text PRIMARY KEY, position bigint NOT NULL, org_id uuid NOT NULL, member_id uuid NOT NULL,
      held_on date NOT NULL);
    CREATE TABLE ${s}.committee_elections (
      committee_key text PRIMARY KEY, position bigint NOT NULL, org_id uuid NOT NULL, elected_on date NOT NULL,
      seats integer NOT NULL);`,

  createIndexes: (s) => `
    CREATE INDEX ON ${s}.meetings (org_id, held_on);
    CREATE INDEX ON ${s}.meeting_attendance (member_id, held_on);
    CREATE INDEX ON ${s}.committee_elections (org_id, elected_on);`,

  views: (s) => [
    {
      name: 'meetings',
      comment: 'Meetings (三会一课) per organisation: kind, day and the number who attended',
      select: `SELECT org_id, kind, held_on, attendees FROM ${s}.meetings`,
    },
    {
      name: 'meeting_attendance',
      comment: 'Who attended which organisation’s meeting on which day (a flowing member at the host)',
      select: `SELECT org_id, member_id, held_on FROM ${s}.meeting_attendance`,
    },
    {
      name: 'committee_elections',
      comment: 'Each election’s committee size, per organisation and day',
      select: `SELECT org_id, elected_on, seats FROM ${s}.committee_elections`,
    },
  ],

  async apply(tables, events) {
    const meetings: MeetingRow[] = [];
    const attendance: AttendanceRow[] = [];
    const committees: CommitteeRow[] = [];
    for (const { id, event } of eventsOf(events, 'organization')) {
      if (event.type !== 'MeetingHeld' && event.type !== 'CommitteeElected') continue;
      const e = domainEventOf<OrganizationEvent>(event);
      const position = event.position.toString();
      if (e.type === 'CommitteeElected')
        committees.push({
          committee_key: position,
          position,
          org_id: id,
          elected_on: e.data.electedOn,
          seats: e.data.members.length,
        });
      if (e.type !== 'MeetingHeld') continue;
      meetings.push({
        meeting_key: position,
        position,
        org_id: id,
        kind: e.data.kind,
        held_on: e.data.heldOn,
        attendees: e.data.attendeeIds.length,
      });
      for (const memberId of unique(e.data.attendeeIds))
        attendance.push({
          attendance_key: `${position}:${memberId}`,
          position,
          org_id: id,
          member_id: memberId,
          held_on: e.data.heldOn,
        });
    }
    await insertOnce(tables.keyed(MEETINGS), meetings, (row) => row.meeting_key);
    await insertOnce(tables.keyed(ATTENDANCE), attendance, (row) => row.attendance_key);
    await insertOnce(tables.keyed(COMMITTEES), committees, (row) => row.committee_key);
  },
};
