// The city's figures: volumes and closing times per hour, busiest services, overdue per district.
import { html, render } from '../vendor/lit-html/lit-html.js';
import { barChart, lineChart } from '../core/charts.js';
import { table } from '../core/dom.js';
import { duration, locale, name, number, t, translateStatic, when } from '../core/i18n.js';
import { currentView, registerView } from '../core/router.js';
import { onRolloutChange, rollout } from '../core/rollout.js';

const template = () => html`
  <h2 id="city-title" data-t="city" tabindex="-1"></h2>
  <p class="updated"><span data-t="updated"></span>: <time id="city-updated"></time></p>
  <figure class="chart">
    <figcaption id="volumes-caption" data-t="volumes"></figcaption>
    <div id="volumes-chart"></div>
  </figure>
  <figure class="chart">
    <figcaption id="latency-caption" data-t="latency"></figcaption>
    <div id="latency-chart"></div>
  </figure>
  <h3 data-t="busiest"></h3>
  <table id="busiest"></table>
  <figure class="chart">
    <figcaption id="overdue-caption" data-t="overduePerDistrict"></figcaption>
    <div id="overdue-chart"></div>
  </figure>
  <p>
    <span data-t="openData"></span>: <a href="/open-data/v1/statistics.csv">CSV</a> ·
    <a href="/open-data/v1/statistics.json">JSON</a>
  </p>
`;

function renderCity() {
  const statistics = rollout.statistics;
  if (!statistics) return;
  document.getElementById('city-updated').textContent = when(statistics.generatedAt);
  const hours = statistics.timeline.map((point) =>
    new Date(point.hour).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' }),
  );
  lineChart(document.getElementById('volumes-chart'), 'volumes-caption', {
    labels: hours,
    series: [
      { name: t('received'), className: 'series-1', values: statistics.timeline.map((point) => point.received) },
      { name: t('closed'), className: 'series-2', values: statistics.timeline.map((point) => point.closed) },
    ],
    format: number,
  });
  lineChart(document.getElementById('latency-chart'), 'latency-caption', {
    labels: hours,
    series: [
      { name: t('median'), className: 'series-1', values: statistics.timeline.map((point) => point.medianSeconds) },
      { name: t('p90'), className: 'series-3', values: statistics.timeline.map((point) => point.p90Seconds) },
    ],
    format: duration,
  });
  table(
    document.getElementById('busiest'),
    [t('service'), t('total'), t('open'), t('overdue')],
    statistics.services
      .slice(0, 10)
      .map((service) => [
        `${service.serviceNumber} — ${service.serviceName}`,
        number(service.total),
        number(service.open),
        number(service.overdue),
      ]),
  );
  const byCode = new Map(rollout.board.map((d) => [d.code, d]));
  barChart(document.getElementById('overdue-chart'), 'overdue-caption', {
    rows: statistics.districts.map((figures) => ({
      key: `overdue.${figures.districtCode}`,
      label: byCode.get(figures.districtCode) ? name(byCode.get(figures.districtCode)) : figures.districtCode,
      value: figures.overdue,
      second: figures.open,
    })),
    format: number,
    secondName: t('open'),
    firstName: t('overdue'),
  });
}

const city = {
  name: 'city',
  heading: 'city-title',
  nav: true,
  mount(section) {
    section.setAttribute('aria-labelledby', 'city-title');
    render(template(), section);
    translateStatic(section);
  },
  show() {
    renderCity();
  },
  translate() {
    translateStatic(this.section);
    if (currentView() === this) renderCity();
  },
};

onRolloutChange((kind) => {
  if (kind === 'statistics' && currentView() === city) renderCity();
});

registerView(city);
