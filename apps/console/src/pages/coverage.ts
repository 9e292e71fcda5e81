import { api, query } from '../api.js';
import { downloadCsv, h, percent, table, today } from '../dom.js';
import { go, guarded } from '../nav.js';
import { ratePairsChart } from './charts.js';

interface CoverageRow {
  readonly key: string;
  readonly label: string;
  readonly units: number;
  readonly singleCovered: number;
  readonly jointCovered: number;
  readonly workCoveredOnly: number;
  readonly uncovered: number;
  readonly orgCoverageRate: number | null;
  readonly workCoverageRate: number | null;
  readonly shouldEstablish: number;
  readonly members: number;
}

const GROUPS: Record<string, string> = {
  region: '地区',
  industry: '行业',
  building: '楼宇',
  park: '园区',
  grid: '网格',
};

const HEADER = [
  ['分组', 'label'],
  ['单位', 'units', 'num'],
  ['单独组建', 'singleCovered', 'num'],
  ['联合组建', 'jointCovered', 'num'],
  ['仅工作覆盖', 'workCoveredOnly', 'num'],
  ['未覆盖', 'uncovered', 'num'],
  ['组织覆盖率', 'orgCoverageRate', 'num'],
  ['工作覆盖率', 'workCoverageRate', 'num'],
  ['应建未建', 'shouldEstablish', 'num'],
  ['党员', 'members', 'num'],
] as const;

/** 两个覆盖 Coverage: by region, industry, building, park or grid, as of a date, table and chart. */
export async function coveragePage(root: HTMLElement, _path: string[], parameters: URLSearchParams): Promise<void> {
  const asOf = parameters.get('asOf') ?? today();
  const groupBy = parameters.get('groupBy') ?? 'region';
  const regionCode = parameters.get('regionCode') ?? '';
  const date = h('input', { type: 'date', name: 'asOf', value: asOf });
  const group = h(
    'select',
    { name: 'groupBy' },
    ...Object.entries(GROUPS).map(([key, zh]) =>
      h('option', { value: key, selected: key === groupBy }, `${zh} ${key}`),
    ),
  );
  const region = h('input', { name: 'regionCode', value: regionCode, placeholder: '310101', size: 8 });
  const body = h('div', {});
  root.replaceChildren(
    h('h1', {}, '两个覆盖 ', h('small', { className: 'muted' }, 'Coverage: organisations and work')),
    h(
      'form',
      {
        className: 'controls',
        onsubmit: (event: Event) => {
          event.preventDefault();
          go(`#/coverage${query({ groupBy: group.value, asOf: date.value, regionCode: region.value.trim() })}`);
        },
      },
      h('label', {}, '分组 Group by', group),
      h('label', {}, '日期 As of', date),
      h('label', {}, '地区代码 Region code', region),
      h('button', { type: 'submit', className: 'primary' }, '查询 Show'),
    ),
    body,
  );
  await guarded(body, async () => {
    const report = await api<{ rows: CoverageRow[]; totals: CoverageRow }>(
      `/v1/coverage${query({ groupBy, asOf, regionCode })}`,
    );
    const cells = (row: CoverageRow) => [
      row.label,
      row.units,
      row.singleCovered,
      row.jointCovered,
      row.workCoveredOnly,
      row.uncovered,
      `${percent(row.orgCoverageRate)} (${row.singleCovered + row.jointCovered}/${row.units})`,
      `${percent(row.workCoverageRate)} (${row.singleCovered + row.jointCovered + row.workCoveredOnly}/${row.units})`,
      row.shouldEstablish,
      row.members,
    ];
    body.replaceChildren(
      h(
        'div',
        { className: 'card', 'data-chart': 'coverage' },
        ratePairsChart(
          report.rows.map((row) => ({ label: row.label, org: row.orgCoverageRate, work: row.workCoverageRate })),
        ),
      ),
      table(HEADER, [...report.rows.map(cells), cells({ ...report.totals, label: '合计 total' })]),
      h(
        'p',
        {},
        h(
          'button',
          {
            type: 'button',
            'data-csv': 'coverage',
            onclick: () =>
              downloadCsv(
                `coverage-${groupBy}-${asOf}.csv`,
                HEADER.map(([, en]) => en),
                [...report.rows, report.totals].map((row) => HEADER.map(([, en]) => row[en])),
              ),
          },
          '下载 CSV',
        ),
      ),
    );
  });
}
