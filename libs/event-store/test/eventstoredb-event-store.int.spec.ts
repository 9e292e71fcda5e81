import type { StartedTestContainer } from 'testcontainers';
import {
  type EventStore,
  EventStoreDbEventStore,
  type ReadAllOptions,
  type SubscriptionOptions,
} from '@registry/event-store';
import { type ContractFixture, eventStoreContract } from './contract';

/**
 * The same contract suite as PostgreSQL, against EventStoreDB/KurrentDB: EVENTSTORE_URL when set,
 * else a testcontainers KurrentDB where a Docker engine answers; otherwise skipped, with the reason.
 */
const url = process.env.EVENTSTORE_URL;
const docker = process.env.REGISTRY_TEST_DOCKER_ENGINE === 'yes';
const skipReason =
  url || docker
    ? undefined
    : 'no EventStoreDB/KurrentDB server: EVENTSTORE_URL is unset and no Docker engine answers testcontainers (none can run on this machine)';

let container: StartedTestContainer | undefined;

async function serverUrl(): Promise<string> {
  if (url) return url;
  if (!container) {
    const { GenericContainer, Wait } = await import('testcontainers');
    container = await new GenericContainer('docker.kurrent.io/kurrent-latest/kurrentdb:25.0')
      .withEnvironment({ KURRENTDB_INSECURE: 'true', KURRENTDB_RUN_PROJECTIONS: 'None', KURRENTDB_MEM_DB: 'true' })
      .withExposedPorts(2113)
      .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
      .start();
  }
  return `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`;
}

afterAll(async () => {
  await container?.stop();
});

/**
 * One server serves every test, so each test sees the log from where it began: what earlier tests
 * wrote is before its origin. (PostgreSQL gets a fresh database per test instead.)
 */
class FromOrigin implements EventStore {
  constructor(
    private readonly store: EventStoreDbEventStore,
    private readonly origin: bigint,
  ) {}

  append: EventStore['append'] = (streamId, events, expected) => this.store.append(streamId, events, expected);
  readStream: EventStore['readStream'] = (streamId, options) => this.store.readStream(streamId, options);
  readAll = (options: ReadAllOptions = {}) => this.store.readAll({ ...options, after: this.later(options.after) });
  subscribe = (options: SubscriptionOptions) => this.store.subscribe({ ...options, after: this.later(options.after) });
  headPosition = async () => {
    const head = await this.store.headPosition();
    return head > this.origin ? head : 0n;
  };
  verify: EventStore['verify'] = (options) => this.store.verify(options);
  close = () => this.store.close();

  private later(after: bigint | undefined): bigint {
    return after === undefined || after < this.origin ? this.origin : after;
  }
}

eventStoreContract(
  'EventStoreDB/KurrentDB',
  skipReason
    ? undefined
    : async (): Promise<ContractFixture> => {
        const store = new EventStoreDbEventStore(await serverUrl(), { pollIntervalMs: 100 });
        const view = new FromOrigin(store, await store.headPosition());
        return {
          store: view,
          // Positions are assigned at commit: there is no late commit to provoke, so batches go one by one.
          appendHoldingCommit: async (batches) => {
            for (const batch of batches) await view.append(batch.streamId, batch.events, batch.expected);
          },
          dispose: () => view.close(),
        };
      },
  { canTamper: false, skipReason },
);
