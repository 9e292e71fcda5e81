export * from './embedded-postgres';
export * from './database-url';
export * from './pool';
export * from './local-processes';
export * from './sql-migrations';
export * from './transactions';
export * from './stopped-on-event';
export * from './rows';
