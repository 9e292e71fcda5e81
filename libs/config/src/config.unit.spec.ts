import { ConfigError, loadConfig, ruleSettingsOf } from '@registry/config';
import { DEFAULT_MEETING_FREQUENCIES, DEFAULT_RULE_SETTINGS, monthlyDuesFen } from '@registry/domain';

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      HOST: '127.0.0.1',
      PORT: 3000,
      PUBLIC_BASE_URL: undefined,
      DATABASE_URL: undefined,
      SHUTDOWN_DRAIN_MS: 0,
      SHUTDOWN_TIMEOUT_MS: 10_000,
      DATABASE_POOL_SIZE: 10,
      DATA_DIR: './var',
      EMBEDDED_POSTGRES_PORT: 54329,
      SUBSCRIPTION_POLL_INTERVAL_MS: 500,
      RUN_PROJECTOR: true,
      PROJECTOR_BATCH_SIZE: 500,
      READ_YOUR_WRITES_TIMEOUT_MS: 5000,
      SHOULD_ESTABLISH_FULL_MEMBERS: 3,
      LETTER_VALIDITY_WITHIN_PROVINCE_DAYS: 30,
      LETTER_VALIDITY_ACROSS_PROVINCES_DAYS: 90,
      LETTER_VALIDITY_MAX_DAYS: 180,
      JOINT_BRANCH_ADVISED_UNITS: 5,
      ADMISSION_TRAINING_HOURS: 24,
      POINTS_BASE: 1000,
      POINTS_HONOUR_AT: 900,
      POINTS_SUPPORT_BELOW: 500,
      MEETING_FREQUENCIES: DEFAULT_MEETING_FREQUENCIES,
      DUES_RATES: undefined,
      KAFKA_BROKERS: undefined,
      RUN_RELAY: true,
      RELAY_TOPIC_PREFIX: '',
      RELAY_TOPIC_PARTITIONS: 6,
      RELAY_REPLICATION_FACTOR: 1,
      RELAY_BATCH_SIZE: 1000,
      ANCHOR_KEY_PATH: undefined,
      ANCHOR_FILE: undefined,
      ANCHOR_INTERVAL_HOURS: 24,
      ANCHOR_TOPIC: 'registry.anchors',
      HTTP_HEADERS_TIMEOUT_MS: 10_000,
      HTTP_BODY_TIMEOUT_MS: 30_000,
      SSE_MAX_STREAMS_PER_PRINCIPAL: 4,
      SSE_MAX_STREAMS: 100,
      RATE_LIMIT_WINDOW_MS: 60_000,
      RATE_LIMIT_FEED_REQUESTS: 600,
      RATE_LIMIT_EXPORT_REQUESTS: 120,
      RATE_LIMIT_REPORT_REQUESTS: 300,
      LOG_LEVEL: 'log',
      LOG_FORMAT: 'pretty',
      PERSONAL_DATA_MASTER_KEY: undefined,
      JWT_SECRET: undefined,
      JWKS_URL: undefined,
      JWT_ISSUER: 'liangxin-registry',
      JWT_AUDIENCE: 'liangxin-registry',
      JWT_MAX_LIFETIME_HOURS: 24,
      METRICS_TOKEN: undefined,
      METRICS_REFRESH_MS: 5_000,
      API_WORKERS: 1,
      HEALTH_PORT: undefined,
    });
  });

  it('coerces numbers and accepts a PostgreSQL URL', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgres://registry@127.0.0.1:5432/registry' });
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_URL).toBe('postgres://registry@127.0.0.1:5432/registry');
  });

  it('names every bad key at once', () => {
    let thrown: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x@y/z',
        LOG_LEVEL: 'chatty',
        PERSONAL_DATA_MASTER_KEY: 'c2hvcnQ=',
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems.map((p) => p.key).sort()).toEqual([
      'DATABASE_URL',
      'LOG_LEVEL',
      'PERSONAL_DATA_MASTER_KEY',
      'PORT',
    ]);
    // The message names the key, never the value: a master key must not reach a log.
    expect((thrown as ConfigError).message).not.toContain('c2hvcnQ=');
  });

  it('reads Kafka brokers as a list and names a malformed one', () => {
    expect(loadConfig({ KAFKA_BROKERS: '127.0.0.1:9092, kafka-2:9092' }).KAFKA_BROKERS).toEqual([
      '127.0.0.1:9092',
      'kafka-2:9092',
    ]);
    expect(() => loadConfig({ KAFKA_BROKERS: 'kafka://broker' })).toThrow('KAFKA_BROKERS: must be host:port');
  });

  it('takes a METRICS_TOKEN of at least 16 characters without whitespace', () => {
    const token = 'prometheus-scrape-7f3a9c21';
    expect(loadConfig({ METRICS_TOKEN: token }).METRICS_TOKEN).toBe(token);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow('METRICS_TOKEN: must have at least 16 characters');
    expect(() => loadConfig({ METRICS_TOKEN: 'prometheus scrape token' })).toThrow(
      'METRICS_TOKEN: must not contain whitespace',
    );
  });

  it('bounds JWT_MAX_LIFETIME_HOURS to whole hours from 1 to a leap year', () => {
    expect(loadConfig({ JWT_MAX_LIFETIME_HOURS: '8' }).JWT_MAX_LIFETIME_HOURS).toBe(8);
    expect(() => loadConfig({ JWT_MAX_LIFETIME_HOURS: '0' })).toThrow('JWT_MAX_LIFETIME_HOURS:');
    expect(() => loadConfig({ JWT_MAX_LIFETIME_HOURS: '1.5' })).toThrow('JWT_MAX_LIFETIME_HOURS:');
    expect(() => loadConfig({ JWT_MAX_LIFETIME_HOURS: '8785' })).toThrow('JWT_MAX_LIFETIME_HOURS:');
  });

  it('bounds request timeouts, stream caps and rate limits to whole positive numbers', () => {
    const limits = loadConfig({ HTTP_BODY_TIMEOUT_MS: '1000', SSE_MAX_STREAMS: '2', RATE_LIMIT_FEED_REQUESTS: '3' });
    expect([limits.HTTP_BODY_TIMEOUT_MS, limits.SSE_MAX_STREAMS, limits.RATE_LIMIT_FEED_REQUESTS]).toEqual([
      1000, 2, 3,
    ]);
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '50' })).toThrow('HTTP_HEADERS_TIMEOUT_MS:');
    expect(() => loadConfig({ HTTP_BODY_TIMEOUT_MS: 'forever' })).toThrow('HTTP_BODY_TIMEOUT_MS:');
    expect(() => loadConfig({ SSE_MAX_STREAMS_PER_PRINCIPAL: '0' })).toThrow('SSE_MAX_STREAMS_PER_PRINCIPAL:');
    expect(() => loadConfig({ RATE_LIMIT_WINDOW_MS: '999' })).toThrow('RATE_LIMIT_WINDOW_MS:');
    expect(() => loadConfig({ RATE_LIMIT_REPORT_REQUESTS: '2.5' })).toThrow('RATE_LIMIT_REPORT_REQUESTS:');
  });

  it('turns the rule settings into what commands are decided under, with DOMAIN.md defaults', () => {
    expect(ruleSettingsOf(loadConfig({}))).toEqual(DEFAULT_RULE_SETTINGS);
    const rates = {
      employed: [
        { upToFen: 400_000, basisPoints: 50 },
        { upToFen: null, basisPoints: 100 },
      ],
      retired: [{ upToFen: null, basisPoints: 50 }],
      fixedMonthlyFen: 50,
    };
    const settings = ruleSettingsOf(
      loadConfig({
        LETTER_VALIDITY_WITHIN_PROVINCE_DAYS: '15',
        LETTER_VALIDITY_MAX_DAYS: '120',
        JOINT_BRANCH_ADVISED_UNITS: '8',
        DUES_RATES: JSON.stringify(rates),
        ADMISSION_TRAINING_HOURS: '32',
      }),
    );
    expect(settings.development).toEqual({ trainingHours: 32 });
    expect(settings.transfers).toEqual({ withinProvinceDays: 15, acrossProvincesDays: 90, maximumDays: 120 });
    expect(settings.jointBranchAdvisedUnits).toBe(8);
    expect(monthlyDuesFen('employed', 450_000, settings.duesRates)).toBe(4_500);
  });

  it('refuses rule settings that contradict each other, naming the key', () => {
    expect(() => loadConfig({ LETTER_VALIDITY_MAX_DAYS: '60' })).toThrow('LETTER_VALIDITY_MAX_DAYS:');
    expect(() => loadConfig({ LETTER_VALIDITY_WITHIN_PROVINCE_DAYS: '0' })).toThrow(
      'LETTER_VALIDITY_WITHIN_PROVINCE_DAYS:',
    );
    expect(() => loadConfig({ JOINT_BRANCH_ADVISED_UNITS: '1' })).toThrow('JOINT_BRANCH_ADVISED_UNITS:');
    expect(() => loadConfig({ ADMISSION_TRAINING_HOURS: '0' })).toThrow('ADMISSION_TRAINING_HOURS:');
    expect(() => loadConfig({ POINTS_SUPPORT_BELOW: '950' })).toThrow('POINTS_SUPPORT_BELOW:');
    expect(() => loadConfig({ MEETING_FREQUENCIES: 'tea-party:1' })).toThrow(
      'MEETING_FREQUENCIES: tea-party is not a kind of meeting',
    );
    expect(loadConfig({ MEETING_FREQUENCIES: 'party-lecture:1' }).MEETING_FREQUENCIES['party-lecture']).toBe(1);
    expect(() => loadConfig({ ADMISSION_TRAINING_HOURS: '2.5' })).toThrow('ADMISSION_TRAINING_HOURS:');
    expect(() => loadConfig({ DUES_RATES: '{not json' })).toThrow('DUES_RATES: must be JSON');
    const bounded = {
      employed: [{ upToFen: 300_000, basisPoints: 50 }],
      retired: [{ upToFen: null, basisPoints: 50 }],
      fixedMonthlyFen: 20,
    };
    expect(() => loadConfig({ DUES_RATES: JSON.stringify(bounded) })).toThrow(
      'DUES_RATES: the last employed dues bracket must have no upper bound',
    );
    expect(() => loadConfig({ DUES_RATES: JSON.stringify({ ...bounded, retired: [] }) })).toThrow(
      'DUES_RATES.retired:',
    );
    const falling = {
      employed: [
        { upToFen: 500_000, basisPoints: 50 },
        { upToFen: 300_000, basisPoints: 100 },
        { upToFen: null, basisPoints: 150 },
      ],
      retired: [{ upToFen: null, basisPoints: 50 }],
      fixedMonthlyFen: 20,
    };
    expect(() => loadConfig({ DUES_RATES: JSON.stringify(falling) })).toThrow(
      'DUES_RATES: the employed dues brackets must rise',
    );
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });
});
