import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { RegistryConfig } from '@registry/config';
import {
  type Anchor,
  anchorDue,
  type AnchorFileContents,
  anchorKeyFromPem,
  anchorKeyToPem,
  checkAnchorSignature,
  compareWithLog,
  formatAnchorLine,
  generateAnchorKey,
  type LogHead,
  parseAnchorFile,
  signAnchor,
} from '@registry/event-store';
import { publishAnchor } from '@registry/relay';

export type AnchorConfig = Pick<
  RegistryConfig,
  | 'DATA_DIR'
  | 'ANCHOR_KEY_PATH'
  | 'ANCHOR_FILE'
  | 'ANCHOR_INTERVAL_HOURS'
  | 'ANCHOR_TOPIC'
  | 'KAFKA_BROKERS'
  | 'RELAY_TOPIC_PREFIX'
  | 'RELAY_REPLICATION_FACTOR'
>;

/** What anchoring needs of the event store. */
export interface AnchorableLog {
  headPosition(): Promise<bigint>;
  logHead(position?: bigint): Promise<LogHead>;
}

export interface AnchorLogger {
  log(message: string): void;
  error(message: string): void;
}

export const anchorKeyPath = (config: AnchorConfig): string =>
  config.ANCHOR_KEY_PATH ?? join(config.DATA_DIR, 'anchor-signing.key');
export const anchorFilePath = (config: AnchorConfig): string =>
  config.ANCHOR_FILE ?? join(config.DATA_DIR, 'anchors.jsonl');
export const anchorTopic = (config: AnchorConfig): string => config.RELAY_TOPIC_PREFIX + config.ANCHOR_TOPIC;

/** The signing key: generated once, kept with the data, readable by the owner only (like the JWT secret). */
export function loadOrCreateAnchorKey(path: string): KeyObject {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      writeFileSync(path, anchorKeyToPem(generateAnchorKey()), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  try {
    return anchorKeyFromPem(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`anchor signing key ${path}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}

/** Appends one line and flushes it (and a new file's directory entry) to disk before returning. */
export function appendAnchorLine(path: string, anchor: Anchor): void {
  const created = !existsSync(path);
  if (created) mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'a', 0o644);
  try {
    writeSync(fd, formatAnchorLine(anchor));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) {
    const directory = openSync(dirname(path), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
  }
}

/** No file reads as no anchors. */
export function readAnchorFile(path: string): AnchorFileContents {
  return existsSync(path) ? parseAnchorFile(readFileSync(path, 'utf8')) : { lines: [], tornLastLine: false };
}

export interface TakenAnchor {
  readonly anchor: Anchor;
  readonly file: string;
  /** The Kafka topic it was also appended to, when KAFKA_BROKERS is set. */
  readonly topic?: string;
}

/**
 * Signs the log head and appends it to the anchor file, then (with KAFKA_BROKERS) to the anchor
 * topic. Throws when either fails; after a Kafka failure the file has the anchor already.
 */
export async function anchorLog(config: AnchorConfig, log: AnchorableLog, now = new Date()): Promise<TakenAnchor> {
  const key = loadOrCreateAnchorKey(anchorKeyPath(config));
  const anchor = signAnchor(await log.logHead(), now, key);
  const file = anchorFilePath(config);
  appendAnchorLine(file, anchor);
  if (!config.KAFKA_BROKERS) return { anchor, file };
  const topic = anchorTopic(config);
  try {
    await publishAnchor(
      { brokers: config.KAFKA_BROKERS, topic, replicationFactor: config.RELAY_REPLICATION_FACTOR },
      anchor,
    );
  } catch (error) {
    throw new Error(
      `the anchor at position ${anchor.position} is in ${file} but not in Kafka topic ${topic}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  return { anchor, file, topic };
}

export interface AnchorFailure {
  readonly line: number;
  readonly anchor?: Anchor;
  readonly reason: string;
}

export interface AnchorCheck {
  readonly held: readonly Anchor[];
  readonly failed: readonly AnchorFailure[];
}

/**
 * Checks every anchor of a file: its signature (by `trusted` when given), and the log as of its
 * position recomputed now against what it signed.
 */
export async function checkAnchors(
  log: AnchorableLog,
  contents: AnchorFileContents,
  trusted?: KeyObject,
): Promise<AnchorCheck> {
  const held: Anchor[] = [];
  const failed: AnchorFailure[] = [];
  const heads = new Map<string, LogHead>();
  for (const entry of contents.lines) {
    if ('problem' in entry) {
      failed.push({ line: entry.line, reason: `not an anchor (${entry.problem})` });
      continue;
    }
    const { anchor } = entry;
    const badSignature = checkAnchorSignature(anchor, trusted);
    if (badSignature) {
      failed.push({ line: entry.line, anchor, reason: badSignature });
      continue;
    }
    let head = heads.get(anchor.position);
    if (!head) {
      head = await log.logHead(BigInt(anchor.position));
      heads.set(anchor.position, head);
    }
    const mismatch = compareWithLog(anchor, head);
    if (mismatch) failed.push({ line: entry.line, anchor, reason: mismatch });
    else held.push(anchor);
  }
  return { held, failed };
}

const HOUR_MS = 3_600_000;

/**
 * The projector's anchoring (ADR 0014): at start-up when the last anchor is older than
 * ANCHOR_INTERVAL_HOURS, then whenever it becomes so; never when the log has not moved. Failures
 * are logged and retried at the next check; they never stop the projector.
 */
export class AnchorSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly config: AnchorConfig,
    private readonly log: AnchorableLog,
    private readonly logger: AnchorLogger,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): void {
    const hours = this.config.ANCHOR_INTERVAL_HOURS;
    if (hours <= 0 || this.timer) return;
    this.check();
    this.timer = setInterval(() => this.check(), Math.min(hours, 1) * HOUR_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private check(): void {
    this.running ??= this.anchorIfDue()
      .catch((error: unknown) =>
        this.logger.error(`anchoring the log failed: ${error instanceof Error ? error.message : String(error)}`),
      )
      .finally(() => (this.running = undefined));
  }

  private async anchorIfDue(): Promise<void> {
    const anchors = readAnchorFile(anchorFilePath(this.config)).lines.flatMap((line) =>
      'anchor' in line ? [line.anchor] : [],
    );
    const now = this.clock();
    if (!anchorDue(anchors.at(-1), await this.log.headPosition(), now, this.config.ANCHOR_INTERVAL_HOURS)) return;
    const taken = await anchorLog(this.config, this.log, now);
    this.logger.log(
      `anchored the log at position ${taken.anchor.position} (${taken.anchor.streams} streams) in ${taken.file}${taken.topic ? ` and ${taken.topic}` : ''}`,
    );
  }
}
