import { startTracing } from '@registry/telemetry';

/** Imported first by main.ts: instrumentation must be in place before http, pg and kafkajs load. */
export const tracing = startTracing('registry-relay');
