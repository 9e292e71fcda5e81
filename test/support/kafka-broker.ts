// Loaded by global setup (outside jest's module registry) and by tests: relative imports only.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../libs/postgres/src';

const run = promisify(execFile);
const SCRIPT = join(__dirname, '..', '..', 'scripts', 'kafka-broker.sh');

export interface TestBroker {
  readonly brokers: string[];
  /** How it was found, said once in the run's output. */
  readonly origin: string;
  stop(): Promise<void>;
}

/** A broker this test run controls: it can be stopped and started again (for outage tests). */
export interface ControlledBroker extends TestBroker {
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  dispose(): Promise<void>;
}

/** Why scripts/kafka-broker.sh cannot run here (no Java, or no Maven and no cached jars), or undefined when it can. */
export function scriptBrokerUnavailable(): string | undefined {
  if (spawnSync('java', ['-version']).status !== 0) return "no Java runtime (java) to run the project's Kafka broker";
  if (spawnSync(SCRIPT, ['cached']).status !== 0 && spawnSync('mvn', ['-v']).status !== 0)
    return "no Maven (mvn) to resolve Kafka's jars";
  return undefined;
}

/** Starts the project's own broker (scripts/kafka-broker.sh) on free loopback ports with a fresh data directory. */
export async function startScriptBroker(): Promise<ControlledBroker> {
  const dataDir = mkdtempSync(join(tmpdir(), 'registry-test-kafka-'));
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_DATA_DIR: dataDir,
  };
  const script = async (command: 'start' | 'stop'): Promise<void> => {
    await run(SCRIPT, [command], { env, timeout: 300_000 });
  };
  await script('start');
  return {
    brokers: [`127.0.0.1:${port}`],
    origin: `the project's script (scripts/kafka-broker.sh) on 127.0.0.1:${port}`,
    start: () => script('start'),
    stop: () => script('stop'),
    dispose: async () => {
      await script('stop');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Whether a Docker engine answers testcontainers (global setup records it for the run in REGISTRY_TEST_DOCKER_ENGINE). */
export async function dockerEngineAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 5_000)),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** KAFKA_BROKERS when set; else a testcontainers Kafka where a Docker engine answers; else the project's script. */
export async function provideTestBroker(): Promise<TestBroker> {
  const fromEnvironment = process.env.KAFKA_BROKERS?.split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  if (fromEnvironment && fromEnvironment.length > 0) {
    return {
      brokers: fromEnvironment,
      origin: `KAFKA_BROKERS (${fromEnvironment.join(',')})`,
      stop: () => Promise.resolve(),
    };
  }
  if (
    process.env.REGISTRY_TEST_DOCKER_ENGINE === 'yes' ||
    (process.env.REGISTRY_TEST_DOCKER_ENGINE === undefined && (await dockerEngineAnswers()))
  ) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer('confluentinc/cp-kafka:7.9.0').withKraft().start();
    const brokers = [`${container.getHost()}:${container.getMappedPort(9093)}`];
    return {
      brokers,
      origin: `a testcontainers Kafka at ${brokers[0]!}`,
      stop: async () => void (await container.stop()),
    };
  }
  const broker = await startScriptBroker();
  return { ...broker, stop: () => broker.dispose() };
}

/** For tests: the run's broker, or why there is none (the tests that need it then skip, saying so). */
export function testKafka(): { brokers: string[] } | { skipReason: string } {
  const brokers = process.env.REGISTRY_TEST_KAFKA_BROKERS;
  if (brokers) return { brokers: brokers.split(',') };
  return { skipReason: process.env.REGISTRY_TEST_KAFKA_UNAVAILABLE ?? 'no Kafka broker was provided to this run' };
}
