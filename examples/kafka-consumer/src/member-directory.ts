import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';

/**
 * An integrator's consumer, written only against the registry's public contract: the
 * `registry.members.v1` topic, CloudEvents headers, and the JSON Schemas served at /v1/schemas.
 * It keeps a local table of members per organisation.
 *
 * Delivery is at least once, so every message is applied in one transaction with the record of
 * its `ce_id`: a message seen before changes nothing. A message that fails its schema is parked in
 * `rejected_messages` with the reason instead of stopping the consumer or being lost.
 */
export interface MemberDirectoryOptions {
  readonly brokers: readonly string[];
  readonly groupId: string;
  /** The registry's base URL, where /v1/schemas/<type> is served. */
  readonly registryUrl: string;
  /** The topic prefix the registry's relay was given (RELAY_TOPIC_PREFIX), usually empty. */
  readonly topicPrefix?: string;
}

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS processed_events (event_id uuid PRIMARY KEY, position bigint NOT NULL, processed_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE IF NOT EXISTS members (member_id uuid PRIMARY KEY, org_id uuid NOT NULL, status text NOT NULL, since date NOT NULL);
CREATE INDEX IF NOT EXISTS members_by_org ON members (org_id);
CREATE TABLE IF NOT EXISTS rejected_messages (event_id text, type text, reason text NOT NULL, value text, rejected_at timestamptz NOT NULL DEFAULT now());
`;

type Data = Record<string, unknown>;

/** What each public member event means for "who belongs to which organisation". */
const APPLY: Record<string, (client: PoolClient, data: Data) => Promise<unknown>> = {
  'registry.MemberRegistered.v1': (client, d) =>
    client.query(
      'INSERT INTO members (member_id, org_id, status, since) VALUES ($1, $2, $3, $4) ON CONFLICT (member_id) DO NOTHING',
      [d.memberId, d.orgId, d.status, d.effectiveOn],
    ),
  'registry.MemberConfirmed.v1': (client, d) =>
    client.query(`UPDATE members SET status = 'full' WHERE member_id = $1`, [d.memberId]),
  'registry.TransferAccepted.v1': (client, d) => {
    const to = d.to as { orgId?: string };
    return to.orgId
      ? client.query('UPDATE members SET org_id = $2, since = $3 WHERE member_id = $1', [
          d.memberId,
          to.orgId,
          d.effectiveOn,
        ])
      : client.query('DELETE FROM members WHERE member_id = $1', [d.memberId]);
  },
  'registry.MemberLeft.v1': (client, d) => client.query('DELETE FROM members WHERE member_id = $1', [d.memberId]),
};

export class MemberDirectory {
  private readonly consumer: Consumer;
  private readonly validators = new Map<string, Promise<ValidateFunction>>();
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });

  constructor(
    private readonly pool: Pool,
    private readonly options: MemberDirectoryOptions,
  ) {
    const kafka = new Kafka({
      clientId: 'member-directory',
      brokers: [...options.brokers],
      logLevel: logLevel.NOTHING,
    });
    this.consumer = kafka.consumer({ groupId: options.groupId, heartbeatInterval: 1_000 });
  }

  async start(): Promise<void> {
    await this.pool.query(SCHEMA_SQL);
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: [`${this.options.topicPrefix ?? ''}registry.members.v1`],
      fromBeginning: true,
    });
    // The offset is committed only after eachMessage resolves, i.e. after our transaction committed.
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        await this.handle(headersOf(message.headers), message.value?.toString() ?? '');
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }

  /** One message: dedupe on ce_id, validate against the published schema, apply, all in one transaction. */
  async handle(headers: Record<string, string>, value: string): Promise<'applied' | 'duplicate' | 'rejected'> {
    const type = headers.ce_type ?? '';
    const eventId = headers.ce_id ?? '';
    let data: Data;
    try {
      data = JSON.parse(value) as Data;
      const validate = await this.validatorFor(type, headers.ce_dataschema);
      const structured = {
        specversion: headers.ce_specversion,
        id: eventId,
        type,
        source: headers.ce_source,
        subject: headers.ce_subject,
        time: headers.ce_time,
        position: headers.ce_position,
        data,
      };
      if (!validate(structured)) throw new Error(this.ajv.errorsText(validate.errors));
    } catch (error) {
      await this.pool.query('INSERT INTO rejected_messages (event_id, type, reason, value) VALUES ($1, $2, $3, $4)', [
        eventId,
        type,
        error instanceof Error ? error.message : String(error),
        value,
      ]);
      return 'rejected';
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const fresh = await client.query(
        'INSERT INTO processed_events (event_id, position) VALUES ($1, $2) ON CONFLICT DO NOTHING',
        [eventId, headers.ce_position],
      );
      if (fresh.rowCount === 0) {
        await client.query('ROLLBACK');
        return 'duplicate';
      }
      await APPLY[type]?.(client, data);
      await client.query('COMMIT');
      return 'applied';
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Schemas are fetched once per type from the registry this consumer is configured with, at the
   * path the message's absolute `dataschema` URI names (the public address may not be reachable here).
   */
  private validatorFor(type: string, dataschema: string | undefined): Promise<ValidateFunction> {
    let validator = this.validators.get(type);
    if (!validator) {
      validator = (async () => {
        const path = URL.canParse(dataschema ?? '') ? new URL(dataschema ?? '').pathname : '';
        if (!path.startsWith('/v1/schemas/')) throw new Error(`message of type ${type} names no published schema`);
        const response = await fetch(new URL(path, this.options.registryUrl));
        if (!response.ok) throw new Error(`schema ${dataschema}: HTTP ${response.status}`);
        return this.ajv.compile((await response.json()) as object);
      })();
      validator.catch(() => this.validators.delete(type));
      this.validators.set(type, validator);
    }
    return validator;
  }
}

function headersOf(
  headers: Record<string, Buffer | string | (Buffer | string)[] | undefined> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) out[name] = first.toString();
  }
  return out;
}
