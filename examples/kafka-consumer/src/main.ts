import { Pool } from 'pg';
import { MemberDirectory } from './member-directory';

// KAFKA_BROKERS=127.0.0.1:19092 REGISTRY_URL=http://127.0.0.1:3000 DATABASE_URL=postgres://... node --import tsx examples/kafka-consumer/src/main.ts
const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

async function main(): Promise<void> {
  const pool = new Pool({ connectionString: required('DATABASE_URL') });
  const directory = new MemberDirectory(pool, {
    brokers: required('KAFKA_BROKERS').split(','),
    groupId: process.env.GROUP_ID ?? 'member-directory',
    registryUrl: required('REGISTRY_URL'),
    topicPrefix: process.env.RELAY_TOPIC_PREFIX ?? '',
  });
  await directory.start();
  process.once('SIGTERM', () => void directory.stop().then(() => pool.end()));
  process.stdout.write('member directory: consuming registry.members.v1\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`member directory failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
