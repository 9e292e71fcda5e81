import { addDays, monthlyDuesFen } from '@registry/domain';
import { residentId } from '../test/support/identifiers';

export interface ScriptStep {
  /** `/v1/members` for the registration, else the path under the member (or `accept`). */
  readonly path: string;
  readonly body: unknown;
  readonly member?: 'new';
}

/** One client's endless script: register a member, then walk them through a dozen other commands. */
export function* commandScript(
  client: number,
  branches: readonly string[],
  units: readonly string[],
): Generator<ScriptStep> {
  for (let n = 0; ; n++) {
    const serial = client * 100_000 + n;
    const birthDate = addDays('1960-01-01', serial % 15_000);
    const gender = serial % 2 === 0 ? 'female' : 'male';
    const home = branches[serial % branches.length]!;
    const other = branches[(serial + 1) % branches.length]!;
    yield {
      path: '/v1/members',
      member: 'new',
      body: {
        name: `成员${serial}`,
        idNumber: residentId(birthDate, gender, Math.floor(serial / 15_000) % 400),
        gender,
        birthDate,
        joinedOn: '2020-07-01',
        status: 'probationary',
        orgId: home,
        unitId: units[serial % units.length],
        effectiveOn: '2020-07-01',
      },
    };
    yield { path: 'confirm', body: { effectiveOn: '2021-07-01' } };
    yield { path: 'dues/assessments', body: { from: '2024-01', category: 'employed', monthlyIncomeFen: 600_000 } };
    for (const month of ['2024-01', '2024-02', '2024-03']) {
      yield {
        path: 'dues/payments',
        body: {
          months: [month],
          amountFen: monthlyDuesFen('employed', 600_000),
          paidOn: '2024-04-01',
          channel: 'bank',
        },
      };
    }
    yield { path: 'employment', body: { unitId: units[(serial + 1) % units.length], effectiveOn: '2024-01-01' } };
    yield { path: 'flow-out', body: { since: '2024-02-01', destinationRegionCode: '440305' } };
    yield { path: 'flow-return', body: { effectiveOn: '2024-03-01' } };
    yield { path: 'lost-contact', body: { since: '2024-04-01' } };
    yield { path: 'contact-restored', body: { effectiveOn: '2024-05-01' } };
    yield { path: 'transfers', body: { to: { orgId: other }, effectiveOn: '2024-06-01', letterNo: `BENCH-${serial}` } };
    yield { path: 'accept', body: { effectiveOn: '2024-06-10' } };
  }
}

/** The URL path of a step, given the member and transfer the earlier steps answered. */
export function pathOf(step: ScriptStep, member: string, transferId: string): string {
  if (step.member === 'new') return step.path;
  if (step.path === 'accept') return `/v1/members/${member}/transfers/${transferId}/accept`;
  return `/v1/members/${member}/${step.path}`;
}
