import { businessDateOf } from './calendar';

/** Where events state the business date their fact took effect, in order of precedence. */
const EFFECTIVE_DATE_FIELDS = [
  'effectiveOn',
  'since',
  'paidOn',
  'establishedOn',
  'registeredOn',
  'assignedOn',
  'decidedOn',
  // The development pipeline's steps (发展党员).
  'appliedOn',
  'interviewedOn',
  'designatedOn',
  'reviewedOn',
  'completedOn',
  'meetingOn',
  'approvedOn',
  'electedOn',
  'ratedOn',
  'recordedOn',
  'heldOn',
] as const;

/**
 * The business date an event took effect. A recorded event that states none (a rejection, a
 * cancellation) took effect on the Beijing date it was recorded; an event not yet recorded gives null.
 */
export function effectiveOnOf(event: { readonly data: object; readonly recordedAt: Date }): string;
export function effectiveOnOf(event: { readonly data: object; readonly recordedAt?: Date }): string | null;
export function effectiveOnOf(event: { readonly data: object; readonly recordedAt?: Date }): string | null {
  const record = event.data as Record<string, unknown>;
  for (const field of EFFECTIVE_DATE_FIELDS) {
    const value = record[field];
    if (typeof value === 'string') return value;
  }
  return event.recordedAt ? businessDateOf(event.recordedAt) : null;
}
