import { z } from 'zod';
import {
  DEFAULT_RULE_SETTINGS,
  type MeetingFrequencies,
  parseMeetingFrequencies,
  type RuleSettings,
  ruleSettingsProblem,
} from '@registry/domain';

const port = z.coerce.number().int().min(1).max(65_535);
const days = z.coerce.number().int().min(1).max(3_650);
const duesBracket = z.strictObject({
  upToFen: z.number().int().min(1).nullable(),
  basisPoints: z.number().int().min(0).max(10_000),
});
const duesRates = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z.strictObject({
      employed: z.array(duesBracket).min(1),
      retired: z.array(duesBracket).min(1),
      fixedMonthlyFen: z.number().int().min(0),
    }),
  );
const postgresUrl = z
  .string()
  .url()
  .refine((value) => /^postgres(ql)?:\/\//.test(value), 'must be a postgres:// or postgresql:// URL');

/** Every setting the registry reads, with its default. The README's configuration table mirrors this. */
export const configSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(3000),
  /** The registry's address as integrators reach it (`https://registry.example.gov.cn`); events' `dataschema` URIs start with it. Unset: `http://HOST:PORT`. */
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, message: 'must be an http:// or https:// URL' }).optional(),
  DATABASE_URL: postgresUrl.optional(),
  /** On SIGTERM: how long /health/ready answers 503 before the server stops taking connections (for a load balancer to notice). */
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(120_000).default(0),
  /** On SIGTERM: how long in-flight requests may take to finish before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  DATA_DIR: z.string().min(1).default('./var'),
  EMBEDDED_POSTGRES_PORT: port.default(54329),
  SUBSCRIPTION_POLL_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  /** `json`: one JSON object per line (Compose, log shippers); `pretty`: coloured text for a terminal. */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('pretty'),
  /** Base64 of 32 random bytes; unset: generated once into DATA_DIR/personal-data-master.key. */
  PERSONAL_DATA_MASTER_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be base64 of exactly 32 bytes')
    .optional(),
  /** The append-only record of forgotten members outside the database (ADR 0013); unset: DATA_DIR/forgotten. */
  FORGOTTEN_LEDGER_PATH: z.string().min(1).optional(),
  /** Where `cli backup`/`cli restore` find pg_dump, pg_restore and psql; unset: the PATH. */
  POSTGRES_BIN_DIR: z.string().min(1).optional(),
  /** HS256 signing secret for bearer tokens; unset (and no JWKS_URL): generated once into DATA_DIR/jwt-secret.key. */
  JWT_SECRET: z.string().min(32, 'must have at least 32 characters').optional(),
  /** Production: verify RS256 tokens against this JSON Web Key Set instead of a shared secret. */
  JWKS_URL: z.string().url().optional(),
  JWT_ISSUER: z.string().min(1).default('liangxin-registry'),
  JWT_AUDIENCE: z.string().min(1).default('liangxin-registry'),
  /** Longest token accepted, from `iat` (or now) to `exp`; `cli token --hours` stays within it. */
  JWT_MAX_LIFETIME_HOURS: z.coerce.number().int().min(1).max(8_784).default(24),
  /** When set, GET /metrics needs `Authorization: Bearer <METRICS_TOKEN>`; unset: /metrics is open, as /health is. */
  METRICS_TOKEN: z
    .string()
    .min(16, 'must have at least 16 characters')
    .regex(/^\S+$/, 'must not contain whitespace')
    .optional(),
  /** How often the log head and the projection and relay checkpoints behind /metrics are read (a scrape reads memory). */
  METRICS_REFRESH_MS: z.coerce.number().int().min(500).max(300_000).default(5_000),
  /** The projector's and the relay's own port for /health/live, /health/ready and /metrics (on HOST); unset: none. */
  HEALTH_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  /**
   * HTTP worker processes of the API (node:cluster): `auto` = one per core. With more than one, the
   * first process owns the database (the embedded server, migrations) and forks the workers.
   */
  API_WORKERS: z
    .union([z.literal('auto'), z.coerce.number().int().min(1, 'must be 1 or more, or auto').max(64)])
    .default(1),
  /** Run the projector inside the API process (the embedded default); false when apps/projector runs it. */
  RUN_PROJECTOR: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Events per projection transaction. */
  PROJECTOR_BATCH_SIZE: z.coerce.number().int().min(1).max(20_000).default(500),
  /** How long a query with minPosition waits for its read model before answering 503. */
  READ_YOUR_WRITES_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
  /** Full members at which a unit "should establish" its own organisation (党章: 3; CIIC practice: 5). Needs a coverage rebuild when changed. */
  SHOULD_ESTABLISH_FULL_MEMBERS: z.coerce.number().int().min(1).max(1_000).default(3),
  /** A transfer letter's default validity within a province (组通字〔2006〕45号: 30 days). */
  LETTER_VALIDITY_WITHIN_PROVINCE_DAYS: days.default(DEFAULT_RULE_SETTINGS.transfers.withinProvinceDays),
  /** A transfer letter's default validity across provinces (90 days). */
  LETTER_VALIDITY_ACROSS_PROVINCES_DAYS: days.default(DEFAULT_RULE_SETTINGS.transfers.acrossProvincesDays),
  /** The longest validity a letter may be given (180 days); the defaults must not exceed it. */
  LETTER_VALIDITY_MAX_DAYS: days.default(DEFAULT_RULE_SETTINGS.transfers.maximumDays),
  /** Units a joint branch generally covers at most (5); above it, a warning, not a refusal. */
  JOINT_BRANCH_ADVISED_UNITS: z.coerce
    .number()
    .int()
    .min(2)
    .max(1_000)
    .default(DEFAULT_RULE_SETTINGS.jointBranchAdvisedUnits),
  /** Longwen's points appraisal (积分定等): the yearly base score, the honour band from, the support band below. */
  POINTS_BASE: z.coerce.number().int().min(1).max(100_000).default(1000),
  POINTS_HONOUR_AT: z.coerce.number().int().min(0).max(100_000).default(900),
  POINTS_SUPPORT_BELOW: z.coerce.number().int().min(0).max(100_000).default(500),
  /** 三会一课: months between meetings of a kind, `kind:months,…` (0: not required); kinds left out keep DOMAIN.md's. */
  MEETING_FREQUENCIES: z
    .string()
    .optional()
    .transform((text, context): MeetingFrequencies => {
      try {
        return parseMeetingFrequencies(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message.replace(/^MEETING_FREQUENCIES: /, '') });
        return z.NEVER;
      }
    }),
  /** Class hours of concentrated training a candidate needs before admission (发展党员工作细则: 3 days or 24 hours). */
  ADMISSION_TRAINING_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000)
    .default(DEFAULT_RULE_SETTINGS.development.trainingHours),
  /** The dues rate table (中组发〔2008〕3号) as JSON: `{"employed":[{"upToFen":300000,"basisPoints":50},…,{"upToFen":null,"basisPoints":200}],"retired":[…],"fixedMonthlyFen":20}`; unset: that table. */
  DUES_RATES: duesRates.optional(),
  /** Kafka bootstrap servers, `host:port,host:port`; unset: no relay (the HTTP feed still serves integrators). */
  KAFKA_BROKERS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter((broker) => broker.length > 0),
    )
    .refine(
      (brokers) => brokers.length > 0 && brokers.every((broker) => /^[^\s:/]+:\d{1,5}$/.test(broker)),
      'must be host:port[,host:port...]',
    )
    .optional(),
  /** Run the relay inside the API process when KAFKA_BROKERS is set (the embedded default); false when apps/relay runs it. */
  RUN_RELAY: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Put before every topic name (e.g. `staging.`) where several registries share one Kafka cluster. */
  RELAY_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
    .default(''),
  /** Partitions of each topic the relay creates. */
  RELAY_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1_000).default(6),
  RELAY_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(10).default(1),
  /** Events per acknowledged batch. */
  RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /** Ed25519 key (PKCS #8 PEM) that signs anchors (ADR 0014); unset: generated once into DATA_DIR/anchor-signing.key. */
  ANCHOR_KEY_PATH: z.string().min(1).optional(),
  /** The append-only file of signed anchors (JSON lines); unset: DATA_DIR/anchors.jsonl. */
  ANCHOR_FILE: z.string().min(1).optional(),
  /** The projector anchors the log this often (and at start-up when the last anchor is older); 0: never. */
  ANCHOR_INTERVAL_HOURS: z.coerce.number().int().min(0).max(8_784).default(24),
  /** Kafka topic (after RELAY_TOPIC_PREFIX) that also receives every anchor when KAFKA_BROKERS is set. */
  ANCHOR_TOPIC: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only')
    .default('registry.anchors'),
  /** A request's line and headers must have arrived this long after it began (capped at HTTP_BODY_TIMEOUT_MS); else 408. */
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  /** The whole request, headers and body, must have arrived this long after it began; else 408. */
  HTTP_BODY_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Event streams (SSE) open at once for one token `sub`; one more is a 429. */
  SSE_MAX_STREAMS_PER_PRINCIPAL: z.coerce.number().int().min(1).max(10_000).default(4),
  /** Event streams (SSE) open at once in this process, all callers together. */
  SSE_MAX_STREAMS: z.coerce.number().int().min(1).max(100_000).default(100),
  /** The window the RATE_LIMIT_* request counts are kept over, per token `sub`. */
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
  /** Requests per window and caller to the event feed (pages and stream openings). */
  RATE_LIMIT_FEED_REQUESTS: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** Requests per window and caller to the audit exports (a stream's events, a member's history). */
  RATE_LIMIT_EXPORT_REQUESTS: z.coerce.number().int().min(1).max(1_000_000).default(120),
  /** Requests per window and caller to the reports (/v1/reports/*, /v1/coverage). */
  RATE_LIMIT_REPORT_REQUESTS: z.coerce.number().int().min(1).max(1_000_000).default(300),
});

export type RegistryConfig = Readonly<z.infer<typeof configSchema>>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly { key: string; message: string }[]) {
    super(`invalid configuration: ${problems.map((p) => `${p.key}: ${p.message}`).join('; ')}`);
  }
}

/** Reads and validates the environment once; throws naming every bad key. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  const present = Object.fromEntries(
    Object.keys(configSchema.shape)
      .map((key) => [key, env[key]] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ key: issue.path.join('.') || '(root)', message: issue.message })),
    );
  }
  if (parsed.data.POINTS_SUPPORT_BELOW > parsed.data.POINTS_HONOUR_AT)
    throw new ConfigError([
      { key: 'POINTS_SUPPORT_BELOW', message: 'the support band must lie below the honour band (POINTS_HONOUR_AT)' },
    ]);
  const problem = ruleSettingsProblem(ruleSettingsOf(parsed.data));
  if (problem) {
    const key = problem.includes('dues') ? 'DUES_RATES' : 'LETTER_VALIDITY_MAX_DAYS';
    throw new ConfigError([{ key, message: problem }]);
  }
  return Object.freeze(parsed.data);
}

/** The settings commands are decided under (DOMAIN.md: local practice is a setting). */
export function ruleSettingsOf(config: RegistryConfig): RuleSettings {
  return {
    transfers: {
      withinProvinceDays: config.LETTER_VALIDITY_WITHIN_PROVINCE_DAYS,
      acrossProvincesDays: config.LETTER_VALIDITY_ACROSS_PROVINCES_DAYS,
      maximumDays: config.LETTER_VALIDITY_MAX_DAYS,
    },
    duesRates: config.DUES_RATES ?? DEFAULT_RULE_SETTINGS.duesRates,
    jointBranchAdvisedUnits: config.JOINT_BRANCH_ADVISED_UNITS,
    development: { trainingHours: config.ADMISSION_TRAINING_HOURS },
  };
}

/** Settings that shape answers, not read models: the points appraisal (积分定等), the meetings' frequencies, the public base URL. */
export function answerSettingsOf(config: RegistryConfig): {
  points: { base: number; honourAt: number; supportBelow: number };
  meetingFrequencies: MeetingFrequencies;
  publicBaseUrl: string;
} {
  return {
    points: { base: config.POINTS_BASE, honourAt: config.POINTS_HONOUR_AT, supportBelow: config.POINTS_SUPPORT_BELOW },
    meetingFrequencies: config.MEETING_FREQUENCIES,
    publicBaseUrl: publicBaseUrlOf(config),
  };
}

/** The base of the absolute URIs the registry gives out (CloudEvents `dataschema`). */
export function publicBaseUrlOf(config: Pick<RegistryConfig, 'PUBLIC_BASE_URL' | 'HOST' | 'PORT'>): string {
  if (config.PUBLIC_BASE_URL) return config.PUBLIC_BASE_URL;
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.PORT}`;
}
