import { randomUUID } from 'node:crypto';
import type { EventToAppend } from '@registry/event-store';
import { addDays } from '@registry/domain';

/** A synthetic registry of a given size, deterministic for a seed: for kill tests and benchmarks. */
export interface RegistryScale {
  readonly units: number;
  readonly branches: number;
  readonly members: number;
  /** Every n-th member is transferred to another branch (2 events). */
  readonly transferEvery: number;
  /** Every n-th member is assessed and pays dues (2 events). */
  readonly duesEvery: number;
  /** Members registered in (roughly) effective-date order; default true. */
  readonly chronological?: boolean;
}

export interface StreamBatch {
  readonly streamId: string;
  readonly events: EventToAppend[];
}

const COUNTIES = [
  '310101',
  '310104',
  '310105',
  '310106',
  '310107',
  '310109',
  '310110',
  '310112',
  '310113',
  '310114',
  '310115',
  '310116',
  '310117',
  '310118',
  '310120',
  '310151',
];
const INDUSTRIES = [
  'software',
  'finance',
  'logistics',
  'retail',
  'manufacturing',
  'biomedicine',
  'education',
  'services',
];

/** A small deterministic PRNG (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID-shaped id from a kind and a number (stable, readable in failures). */
export const syntheticId = (kind: number, n: number): string =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const event = (type: string, data: Record<string, unknown>, effectiveOn: string): EventToAppend => ({
  id: randomUUID(),
  type,
  data: data as never,
  metadata: { actor: 'generator', effectiveOn },
});

export const SHANGHAI_ROOT = syntheticId(0x0a, 0);

/**
 * Units, then the organisation tree (Shanghai committee → 16 district general branches →
 * branches, each covering one unit), then members with their transfers and dues, one batch per
 * stream in the order a registry would have written them.
 */
export function* generatedRegistry(scale: RegistryScale, seed = 1): Generator<StreamBatch> {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const unitId = (n: number) => syntheticId(0x0b, n);
  const branchId = (n: number) => syntheticId(0x0c, n);
  const districtId = (n: number) => syntheticId(0x0d, n);

  for (let u = 0; u < scale.units; u++) {
    const registeredOn = addDays(
      '2008-01-01',
      scale.chronological === false ? Math.floor(next() * 3000) : Math.floor((u / scale.units) * 3000),
    );
    yield {
      streamId: `unit-${unitId(u)}`,
      events: [
        event(
          'UnitRegistered',
          {
            unitId: unitId(u),
            name: `企业 ${u}`,
            creditCode: `91310000${String(u).padStart(9, '0')}X`,
            kind: next() < 0.8 ? 'enterprise' : 'social-organization',
            regionCode: COUNTIES[u % COUNTIES.length],
            industry: pick(INDUSTRIES),
            ...(u % 5 === 0 ? { buildingId: `building-${u % 1000}` } : {}),
            ...(u % 10 === 0 ? { parkId: `park-${u % 50}` } : {}),
            registeredOn,
          },
          registeredOn,
        ),
        ...(u % 7 === 0
          ? [
              event(
                'InstructorAssigned',
                { unitId: unitId(u), name: '指导员', effectiveOn: '2015-06-01' },
                '2015-06-01',
              ),
            ]
          : []),
      ],
    };
  }
  const establishment = (
    id: string,
    name: string,
    level: string,
    form: string,
    parentId: string | undefined,
    regionCode: string,
    unitIds: string[],
    on: string,
  ) => ({
    organizationId: id,
    name,
    level,
    form,
    ...(parentId ? { parentId } : {}),
    regionCode,
    unitIds,
    establishedOn: on,
  });
  yield {
    streamId: `organization-${SHANGHAI_ROOT}`,
    events: [
      event(
        'OrganizationEstablished',
        establishment(
          SHANGHAI_ROOT,
          '上海两新组织党委',
          'committee',
          'regional',
          undefined,
          '310000',
          [],
          '2005-01-01',
        ),
        '2005-01-01',
      ),
    ],
  };
  for (let d = 0; d < COUNTIES.length; d++) {
    yield {
      streamId: `organization-${districtId(d)}`,
      events: [
        event(
          'OrganizationEstablished',
          establishment(
            districtId(d),
            `区党总支 ${d}`,
            'general-branch',
            'regional',
            SHANGHAI_ROOT,
            COUNTIES[d]!,
            [],
            '2006-01-01',
          ),
          '2006-01-01',
        ),
      ],
    };
  }
  for (let b = 0; b < scale.branches; b++) {
    const on = addDays('2010-01-01', Math.floor(next() * 2500));
    yield {
      streamId: `organization-${branchId(b)}`,
      events: [
        event(
          'OrganizationEstablished',
          establishment(
            branchId(b),
            `支部 ${b}`,
            'branch',
            'single',
            districtId(b % COUNTIES.length),
            COUNTIES[b % COUNTIES.length]!,
            [unitId(b % scale.units)],
            on,
          ),
          on,
        ),
      ],
    };
  }
  for (let m = 0; m < scale.members; m++) {
    const memberId = syntheticId(0x0f, m);
    const home = Math.floor(next() * scale.branches);
    // Roughly in effective-date order, as a running registry records them (a few weeks of jitter);
    // `chronological: false` spreads them at random, like a bulk migration of history.
    const on = addDays(
      '2016-01-01',
      scale.chronological === false ? Math.floor(next() * 2500) : Math.floor((m / scale.members) * 2500 + next() * 30),
    );
    const full = next() < 0.85;
    const events = [
      event(
        'MemberRegistered',
        {
          memberId,
          personal: { keyId: memberId, ciphertext: 'v1.synthetic' },
          gender: m % 2 === 0 ? 'female' : 'male',
          joinedOn: on,
          status: full ? 'full' : 'probationary',
          orgId: branchId(home),
          unitId: unitId(next() < 0.7 ? home % scale.units : Math.floor(next() * scale.units)),
          occupation: pick(['owner', 'manager', 'technical-worker', 'mobile-talent', 'other']),
          effectiveOn: on,
        },
        on,
      ),
    ];
    if (m % scale.transferEvery === 0) {
      const target = branchId((home + 1 + Math.floor(next() * (scale.branches - 1))) % scale.branches);
      const transferId = syntheticId(0x10, m);
      const moved = addDays(on, 200 + Math.floor(next() * 300));
      events.push(
        event(
          'TransferInitiated',
          {
            memberId,
            transferId,
            fromOrgId: branchId(home),
            to: { orgId: target },
            effectiveOn: moved,
            letterNo: null,
            validUntil: addDays(moved, 30),
            duesPaidUpTo: null,
          },
          moved,
        ),
        event(
          'TransferAccepted',
          { memberId, transferId, fromOrgId: branchId(home), to: { orgId: target }, effectiveOn: addDays(moved, 10) },
          addDays(moved, 10),
        ),
      );
    }
    if (m % scale.duesEvery === 0) {
      events.push(
        event(
          'DuesAssessed',
          { memberId, from: '2024-01', category: 'employed', monthlyIncomeFen: 800_000, monthlyDuesFen: 12_000 },
          '2024-01-01',
        ),
        event(
          'DuesPaid',
          {
            memberId,
            months: ['2024-01', '2024-02', '2024-03'],
            amountFen: 36_000,
            paidOn: '2024-03-10',
            channel: 'bank',
          },
          '2024-03-10',
        ),
      );
    }
    yield { streamId: `member-${memberId}`, events };
  }
}

/** Appends the generated streams with `writers` concurrent transactions of `perTransaction` streams. */
export async function loadGenerated(
  store: {
    transaction<T>(
      work: (tx: {
        append(streamId: string, events: readonly EventToAppend[], expected: 'no-stream'): Promise<unknown>;
      }) => Promise<T>,
    ): Promise<T>;
  },
  batches: Iterable<StreamBatch>,
  options: { writers?: number; perTransaction?: number; onProgress?: (events: number) => void } = {},
): Promise<number> {
  const iterator = batches[Symbol.iterator]();
  let events = 0;
  const writer = async (): Promise<void> => {
    for (;;) {
      const chunk: StreamBatch[] = [];
      for (let i = 0; i < (options.perTransaction ?? 200); i++) {
        const next = iterator.next();
        if (next.done) break;
        chunk.push(next.value);
      }
      if (chunk.length === 0) return;
      await store.transaction(async (tx) => {
        for (const batch of chunk) await tx.append(batch.streamId, batch.events, 'no-stream');
      });
      events += chunk.reduce((sum, b) => sum + b.events.length, 0);
      options.onProgress?.(events);
    }
  };
  await Promise.all(Array.from({ length: options.writers ?? 4 }, writer));
  return events;
}
