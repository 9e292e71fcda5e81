import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { businessDateOf } from '@registry/domain';
import { type TermsReport, termsReport, type TermStatus } from '@registry/projections';
import { ReadSide } from '../read-side';

/** Reminders are due this many months before a term ends (DOMAIN.md, a setting of the query). */
export const DEFAULT_TERM_REMINDER_MONTHS = 6;

/** Terms in a subtree that end soon (`due`) or have ended with no new election (`overdue`). */
export class TermsQuery extends Query<TermsReport> {
  constructor(
    readonly parameters: {
      readonly orgId: string;
      readonly status: TermStatus;
      readonly withinMonths?: number;
      readonly minPosition?: string;
    },
    readonly today = businessDateOf(new Date()),
  ) {
    super();
  }
}

@QueryHandler(TermsQuery)
export class TermsHandler implements IQueryHandler<TermsQuery> {
  constructor(@Inject(ReadSide) private readonly readSide: ReadSide) {}

  execute({ parameters, today }: TermsQuery): Promise<TermsReport> {
    const { orgId, status, withinMonths = DEFAULT_TERM_REMINDER_MONTHS } = parameters;
    return this.readSide.readModels(['leadership', 'hierarchy'], parameters.minPosition, (db) =>
      termsReport(db, today, orgId, status, withinMonths),
    );
  }
}
