export * from './registry-database';
export * from './registry-core.module';
export * from './boot';
export * from './shutdown';
export * from './log-follower';
export * from './auth-tokens';
export * from './registry-projector';
