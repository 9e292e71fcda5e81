import { h, svg } from '../dom.js';

/** Vertical bars with labels under them and values over them. */
export function columnChart(
  points: readonly { label: string; value: number }[],
  className = 'bar-members',
): SVGSVGElement {
  const width = Math.max(320, points.length * 48);
  const height = 180;
  const top = 18;
  const bottom = 24;
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = width / Math.max(1, points.length);
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img' });
  points.forEach((point, i) => {
    const barHeight = ((height - top - bottom) * point.value) / max;
    const x = i * step + step * 0.2;
    const y = height - bottom - barHeight;
    chart.append(
      svg('rect', { class: className, x, y, width: step * 0.6, height: barHeight }),
      svg('text', { x: x + step * 0.3, y: y - 4, 'text-anchor': 'middle' }, String(point.value)),
      svg('text', { x: x + step * 0.3, y: height - 8, 'text-anchor': 'middle' }, point.label),
    );
  });
  return chart;
}

/** Horizontal pairs of bars (two rates from 0 to 1) per row. */
export function ratePairsChart(
  rows: readonly { label: string; org: number | null; work: number | null }[],
): HTMLElement {
  const labelWidth = 140;
  const barWidth = 300;
  const rowHeight = 30;
  const chart = svg('svg', {
    class: 'chart',
    viewBox: `0 0 ${labelWidth + barWidth + 60} ${rows.length * rowHeight + 10}`,
    width: '100%',
    role: 'img',
  });
  rows.forEach((row, i) => {
    const y = i * rowHeight + 5;
    chart.append(svg('text', { x: 0, y: y + 16 }, row.label.length > 12 ? `${row.label.slice(0, 12)}…` : row.label));
    for (const [k, rate, cls] of [
      [0, row.org, 'bar-org'],
      [1, row.work, 'bar-work'],
    ] as const) {
      const w = (rate ?? 0) * barWidth;
      chart.append(
        svg('rect', { class: cls, x: labelWidth, y: y + k * 12, width: w, height: 10 }),
        svg('text', { x: labelWidth + w + 4, y: y + k * 12 + 9 }, rate === null ? '—' : `${(rate * 100).toFixed(0)}%`),
      );
    }
  });
  return h(
    'div',
    {},
    h(
      'p',
      { className: 'legend' },
      h('i', { className: 'org' }),
      '组织覆盖率 orgCoverageRate',
      h('i', { className: 'work' }),
      '工作覆盖率 workCoverageRate',
    ),
    chart,
  );
}
