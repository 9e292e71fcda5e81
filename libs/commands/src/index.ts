// The application layer: one handler per command (grouped by aggregate) and per query, over the
// deciders and the read models, with the transactional lookups, reservations and idempotency records
// the commands need (docs/adr/0012-command-and-query-bus.md).

export * from './aggregate-command';
export * from './command-executor';
export * from './errors';
export * from './lookups';
export * from './migrate';
export * from './read-side';
export * from './unit/assign-instructor';
export * from './unit/close-unit';
export * from './unit/register-unit';
export * from './organization/add-unit';
export * from './organization/appoint-secretary';
export * from './organization/dissolve-organization';
export * from './organization/establish-organization';
export * from './organization/organization.query';
export * from './organization/remove-unit';
export * from './organization/rename-organization';
export * from './organization/reparent-organization';
export * from './member/accept-transfer';
export * from './member/assess-dues';
export * from './member/cancel-transfer';
export * from './member/change-employment';
export * from './member/confirm-member';
export * from './member/flow-out';
export * from './member/flow-return';
export * from './member/forget-personal-data';
export * from './member/initiate-transfer';
export * from './member/mark-lost-contact';
export * from './member/member.query';
export * from './member/pay-dues';
export * from './member/record-leaving';
export * from './member/register-member';
export * from './member/reject-transfer';
export * from './member/restore-contact';
export * from './audit/history.query';
export * from './audit/stream.query';
export * from './reports/coverage.query';
export * from './reports/dues.query';
export * from './reports/flowing.query';
export * from './reports/transfers.query';
export * from './feed/event-feed.query';
export * from './handlers';
