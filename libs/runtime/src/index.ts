export * from './registry-database';
export * from './registry-core.module';
export * from './boot';
export * from './shutdown';
export * from './registry-relay';
export * from './auth-tokens';
export * from './registry-projector';
export * from './anchoring';
