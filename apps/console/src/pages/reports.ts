import { api } from '../api.js';
import { type Child, downloadCsv, h, scalarText, table } from '../dom.js';
import { go, guarded } from '../nav.js';

type Row = Record<string, unknown>;

interface Report {
  readonly zh: string;
  readonly en: string;
  /** The route; reports over one subtree get the organisation chosen on the page. */
  readonly path: string | ((orgId: string) => string);
  /** The rows of the answer. */
  readonly rows: (answer: Row) => Row[];
  readonly columns: readonly (readonly [string, string, 'num'?])[];
}

const memberLink = (id: unknown): Child =>
  typeof id === 'string' ? h('a', { href: `#/member/${id}` }, id.slice(0, 8)) : '—';
const orgLink = (id: unknown): Child =>
  typeof id === 'string' ? h('a', { href: `#/org/${id}` }, id.slice(0, 8)) : '—';
const target = (to: unknown): string => {
  const value = to as { orgId?: string; external?: { name: string } } | undefined;
  return value?.orgId ? value.orgId.slice(0, 8) : (value?.external?.name ?? '—');
};

const REPORTS: Record<string, Report> = {
  transfers: {
    zh: '逾期转接',
    en: 'Overdue transfers',
    path: '/v1/reports/transfers?status=overdue',
    rows: (a) => a.transfers as Row[],
    columns: [
      ['党员', 'memberId'],
      ['转出组织', 'fromOrgId'],
      ['转入', 'to'],
      ['介绍信编号', 'letterNo'],
      ['开具日期', 'effectiveOn'],
      ['有效期至', 'validUntil'],
      ['逾期天数', 'daysOverdue', 'num'],
    ],
  },
  arrears: {
    zh: '欠缴党费',
    en: 'Dues arrears (6+ months)',
    path: '/v1/reports/dues-arrears?minMonths=6',
    rows: (a) => a.members as Row[],
    columns: [
      ['党员', 'memberId'],
      ['组织', 'orgId'],
      ['连续未缴月数', 'consecutiveUnpaidMonths', 'num'],
      ['最后缴纳月份', 'lastPaidMonth'],
      ['月党费（分）', 'monthlyDuesFen', 'num'],
    ],
  },
  'should-establish': {
    zh: '应建未建',
    en: 'Should establish',
    path: '/v1/reports/should-establish',
    rows: (a) => a.units as Row[],
    columns: [
      ['单位', 'name'],
      ['地区', 'regionCode'],
      ['行业', 'industry'],
      ['正式党员', 'fullMembers', 'num'],
      ['党员', 'members', 'num'],
      ['覆盖', 'coverage'],
      ['起始', 'since'],
    ],
  },
  flowing: {
    zh: '流动党员',
    en: 'Flowing members by occupation',
    path: '/v1/reports/flowing',
    rows: (a) => a.byOccupation as Row[],
    columns: [
      ['职业', 'occupation'],
      ['人数', 'members', 'num'],
      ['占比', 'share', 'num'],
    ],
  },
  terms: {
    zh: '换届提醒',
    en: 'Terms ending within 12 months',
    path: (orgId) => `/v1/reports/terms?orgId=${orgId}&status=due&withinMonths=12`,
    rows: (a) => a.organizations as Row[],
    columns: [
      ['组织', 'name'],
      ['选举', 'electedOn'],
      ['届满', 'termEndsOn'],
      ['延期至', 'postponedUntil'],
      ['应换届', 'dueOn'],
    ],
  },
  ratings: {
    zh: '星级评定',
    en: 'Star ratings, last year',
    path: (orgId) => `/v1/reports/ratings?orgId=${orgId}`,
    rows: (a) => a.byStars as Row[],
    columns: [
      ['星级', 'stars', 'num'],
      ['组织数', 'organizations', 'num'],
    ],
  },
  'lost-contact': {
    zh: '失联党员',
    en: 'Lost contact',
    path: '/v1/reports/lost-contact',
    rows: (a) => a.members as Row[],
    columns: [
      ['党员', 'memberId'],
      ['组织', 'orgId'],
      ['失联起', 'since'],
      ['月数', 'months', 'num'],
      ['停止党籍', 'suspendedOn'],
      ['提示', 'flag'],
    ],
  },
};

function cell(key: string, value: unknown): Child {
  if (key === 'memberId') return memberLink(value);
  if (key === 'orgId' || key === 'fromOrgId') return orgLink(value);
  if (key === 'to') return target(value);
  if (key === 'share' && typeof value === 'number') return `${(value * 100).toFixed(1)}%`;
  if (value === null || value === undefined) return '—';
  return scalarText(value);
}

function csvValue(key: string, value: unknown): unknown {
  return key === 'to' ? target(value) : value;
}

/** 报表 Reports: each as a table and as CSV; subtree reports over the organisation chosen. */
export async function reportsPage(root: HTMLElement, path: string[], parameters: URLSearchParams): Promise<void> {
  const key = path[0] && REPORTS[path[0]] ? path[0] : 'transfers';
  const report = REPORTS[key];
  if (!report) return;
  const body = h('div', {});
  const picker = h('div', { className: 'controls' });
  root.replaceChildren(
    h('h1', {}, '报表 ', h('small', { className: 'muted' }, 'Reports')),
    h(
      'nav',
      { className: 'controls', 'aria-label': 'reports' },
      ...Object.entries(REPORTS).map(([k, r]) =>
        h(
          'a',
          { href: `#/reports/${k}`, className: k === key ? 'active' : '', 'data-report': k },
          r.zh,
          ' ',
          h('small', { className: 'muted' }, r.en),
        ),
      ),
    ),
    picker,
    body,
  );
  await guarded(body, async () => {
    let route: string;
    if (typeof report.path === 'string') route = report.path;
    else {
      const { roots } = await api<{ roots: string[] }>('/v1/organizations');
      const names = await Promise.all(roots.map((id) => api<{ name: string }>(`/v1/organizations/${id}`)));
      const orgId = parameters.get('orgId') ?? roots[0];
      if (!orgId) {
        body.replaceChildren(h('p', { className: 'muted' }, '没有组织 No organisation yet'));
        return;
      }
      const select = h(
        'select',
        { name: 'orgId', onchange: () => go(`#/reports/${key}?orgId=${select.value}`) },
        ...roots.map((id, i) => h('option', { value: id, selected: id === orgId }, names[i]?.name ?? id)),
      );
      picker.replaceChildren(h('label', {}, '组织（含下级） Organisation and its subtree', select));
      route = report.path(orgId);
    }
    const answer = await api<Row>(route);
    const rows = report.rows(answer);
    body.replaceChildren(
      h('p', { className: 'muted' }, `${rows.length} 行 rows · GET ${route}`),
      table(
        report.columns,
        rows.map((row) => report.columns.map(([, column]) => cell(column, row[column]))),
      ),
      h(
        'p',
        {},
        h(
          'button',
          {
            type: 'button',
            'data-csv': key,
            onclick: () =>
              downloadCsv(
                `${key}.csv`,
                report.columns.map(([, column]) => column),
                rows.map((row) => report.columns.map(([, column]) => csvValue(column, row[column]))),
              ),
          },
          '下载 CSV',
        ),
      ),
    );
  });
}
