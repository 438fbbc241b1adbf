// Inline SVG charts, each with its numbers in a table beside it.
import { t } from './i18n.js';
import { dataTable, element, svg } from './dom.js';

/** A line chart of series over the same labels, with the numbers in a table beside it. */
export function lineChart(container, captionId, { labels, series, format }) {
  const width = 640;
  const height = 200;
  const left = 56;
  const bottom = 24;
  const values = series.flatMap((line) => line.values.filter((value) => value !== null));
  const max = Math.max(1, ...values);
  const x = (index) => left + (labels.length <= 1 ? 0 : (index * (width - left - 24)) / (labels.length - 1));
  const y = (value) => height - bottom - (value / max) * (height - bottom - 12);
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': captionId,
    class: 'line-chart',
  });
  chart.append(
    svg('line', { x1: left, y1: y(0), x2: width - 24, y2: y(0), class: 'axis' }),
    svg('line', { x1: left, y1: y(0), x2: left, y2: 12, class: 'axis' }),
    svg('text', { x: left - 6, y: y(max) + 4, class: 'tick', 'text-anchor': 'end' }, format(max)),
    svg('text', { x: left - 6, y: y(0) + 4, class: 'tick', 'text-anchor': 'end' }, format(0)),
  );
  labels.forEach((label, index) => {
    if (index % 6 === labels.length % 6 || index === labels.length - 1) {
      chart.append(svg('text', { x: x(index), y: height - 6, class: 'tick', 'text-anchor': 'middle' }, label));
    }
  });
  for (const line of series) {
    const points = line.values
      .map((value, index) => (value === null ? null : `${x(index)},${y(value)}`))
      .filter((point) => point !== null);
    chart.append(svg('polyline', { points: points.join(' '), class: `line ${line.className}` }));
    line.values.forEach((value, index) => {
      if (value !== null)
        chart.append(svg('circle', { cx: x(index), cy: y(value), r: 2.5, class: `dot ${line.className}` }));
    });
  }
  const legend = element('ul', { class: 'chart-legend' });
  for (const line of series) legend.append(element('li', { class: line.className }, line.name));
  const rows = labels.map((label, index) => [label, ...series.map((line) => format(line.values[index]))]);
  container.replaceChildren(chart, legend, dataTable([t('hour'), ...series.map((line) => line.name)], rows));
}

/** Horizontal bars, labelled with their values; `second` draws a lighter bar behind (e.g. open behind overdue). */
export function barChart(container, captionId, { rows, format, firstName, secondName }) {
  const rowHeight = 22;
  const width = 640;
  const labelWidth = 170;
  const height = rows.length * rowHeight + 4;
  const max = Math.max(1, ...rows.map((row) => Math.max(row.value, row.second || 0)));
  const scale = (value) => (value / max) * (width - labelWidth - 60);
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': captionId,
    class: 'bar-chart',
  });
  rows.forEach((row, index) => {
    const top = index * rowHeight + 2;
    chart.append(svg('text', { x: labelWidth - 6, y: top + 15, class: 'label', 'text-anchor': 'end' }, row.label));
    if (row.second !== undefined) {
      chart.append(
        svg('rect', {
          x: labelWidth,
          y: top + 2,
          width: scale(row.second),
          height: rowHeight - 6,
          class: 'bar second',
        }),
      );
    }
    chart.append(
      svg('rect', { x: labelWidth, y: top + 2, width: scale(row.value), height: rowHeight - 6, class: 'bar' }),
      svg(
        'text',
        {
          x: labelWidth + scale(Math.max(row.value, row.second || 0)) + 6,
          y: top + 15,
          class: 'value',
          'data-figure': row.key,
          'data-value': row.value,
        },
        row.second !== undefined ? `${format(row.value)} / ${format(row.second)}` : format(row.value),
      ),
    );
  });
  const parts = [chart];
  if (secondName) {
    const legend = element('ul', { class: 'chart-legend' });
    legend.append(element('li', { class: 'bar-first' }, firstName), element('li', { class: 'bar-second' }, secondName));
    parts.push(legend);
  }
  const headers = secondName ? ['', firstName, secondName] : ['', t('count')];
  const tableRows = rows.map((row) =>
    secondName ? [row.label, format(row.value), format(row.second)] : [row.label, format(row.value)],
  );
  parts.push(dataTable(headers, tableRows));
  container.replaceChildren(...parts);
}
