import { api, ApiProblem, query } from '../api.js';
import { h, table, today } from '../dom.js';
import { guarded } from '../nav.js';
import { columnChart } from './charts.js';
import { countsText, FORMS, LEVELS } from './tree.js';

interface Organization {
  readonly id: string;
  readonly name: string;
  readonly level: string;
  readonly form: string;
  readonly regionCode: string;
  readonly parentId: string | null;
  readonly secretaryId: string | null;
  readonly validFrom: string;
  readonly unitIds: readonly string[];
  readonly counts: { members: number; full: number; probationary: number; flowingIn: number; flowingOut: number };
  readonly childCount: number;
}

interface Committee {
  readonly electedOn: string | null;
  readonly termYears: number | null;
  readonly termEndsOn: string | null;
  readonly postponedUntil: string | null;
  readonly members: readonly { memberId: string; role: string; vacant: boolean }[];
}

/** The last day of each of the twelve months up to `asOf` (the last one is `asOf` itself). */
export function monthEnds(asOf: string): string[] {
  const [year, month] = asOf.split('-').map(Number) as [number, number];
  const days: string[] = [];
  for (let back = 11; back >= 1; back--) {
    const end = new Date(Date.UTC(year, month - back, 0));
    days.push(end.toISOString().slice(0, 10));
  }
  return [...days, asOf];
}

/** 组织 Organisation: attributes, units, committee and term, members by month. */
export async function organizationPage(root: HTMLElement, path: string[], parameters: URLSearchParams): Promise<void> {
  const id = path[0] ?? '';
  const asOf = parameters.get('asOf') ?? today();
  const organization = await api<Organization>(`/v1/organizations/${encodeURIComponent(id)}${query({ asOf })}`);
  const committee = h('div', { className: 'card' }, h('p', { className: 'muted' }, '…'));
  const chart = h('div', { className: 'card', 'data-chart': 'members-by-month' }, h('p', { className: 'muted' }, '…'));
  root.replaceChildren(
    h(
      'h1',
      {},
      organization.name,
      ' ',
      h('span', { className: 'badge' }, LEVELS[organization.level] ?? organization.level),
      h('span', { className: 'badge' }, FORMS[organization.form] ?? organization.form),
    ),
    h(
      'div',
      { className: 'card' },
      table(
        [
          ['日期', 'asOf'],
          ['地区', 'regionCode'],
          ['上级组织', 'parentId'],
          ['书记', 'secretaryId'],
          ['本版本起', 'validFrom'],
          ['下级组织', 'childCount', 'num'],
          ['党员（含下级）', 'counts'],
        ],
        [
          [
            asOf,
            organization.regionCode,
            organization.parentId
              ? h('a', { href: `#/org/${organization.parentId}${query({ asOf })}` }, organization.parentId.slice(0, 8))
              : '—',
            organization.secretaryId
              ? h('a', { href: `#/member/${organization.secretaryId}` }, organization.secretaryId.slice(0, 8))
              : '—',
            organization.validFrom,
            organization.childCount,
            countsText(organization.counts),
          ],
        ],
      ),
    ),
    h('h2', {}, '覆盖单位 ', h('small', { className: 'muted' }, `Units (${organization.unitIds.length})`)),
    h(
      'div',
      { className: 'card' },
      organization.unitIds.length === 0
        ? h('p', { className: 'muted' }, '无 none')
        : h('ul', {}, ...organization.unitIds.map((unit) => h('li', {}, h('code', {}, unit)))),
    ),
    h('h2', {}, '委员会与任期 ', h('small', { className: 'muted' }, 'Committee and term')),
    committee,
    h('h2', {}, '党员人数（按月） ', h('small', { className: 'muted' }, 'Members by month, subtree')),
    chart,
  );
  await Promise.all([
    guarded(committee, async () => {
      try {
        const answer = await api<Committee>(`/v1/organizations/${id}/committee${query({ asOf })}`);
        if (answer.electedOn === null) {
          committee.replaceChildren(h('p', { className: 'muted' }, '尚未选举委员会 No committee elected by this date'));
          return;
        }
        committee.replaceChildren(
          h(
            'p',
            {},
            `选举 elected ${answer.electedOn} · 任期 ${answer.termYears ?? '?'} 年 · 届满 term ends ${answer.termEndsOn ?? '—'}`,
            answer.postponedUntil ? ` · 延期至 postponed until ${answer.postponedUntil}` : '',
          ),
          table(
            [
              ['职务', 'role'],
              ['党员', 'memberId'],
              ['空缺', 'vacant'],
            ],
            answer.members.map((seat) => [
              seat.role,
              h('a', { href: `#/member/${seat.memberId}` }, seat.memberId.slice(0, 8)),
              seat.vacant ? h('span', { className: 'badge overdue' }, '空缺 vacant') : '',
            ]),
          ),
        );
      } catch (error) {
        if (error instanceof ApiProblem && error.status === 404)
          committee.replaceChildren(h('p', { className: 'muted' }, '尚无委员会 No committee on this date'));
        else throw error;
      }
    }),
    guarded(chart, async () => {
      const days = monthEnds(asOf);
      const counts = await Promise.all(
        days.map((day) =>
          api<Organization>(`/v1/organizations/${id}${query({ asOf: day })}`).then(
            (o) => o.counts.members,
            (error: unknown) => {
              if (error instanceof ApiProblem && error.status === 404) return 0; // not yet established then
              throw error;
            },
          ),
        ),
      );
      chart.replaceChildren(columnChart(days.map((day, i) => ({ label: day.slice(2, 7), value: counts[i] ?? 0 }))));
    }),
  ]);
}
