export * from './master-key';
export * from './personal-data-vault';
export * from './migrate';
export * from './forgetting-ledger';
