// A district's page: facts, adapter health, figures, actions (pause, phase), parked pushes,
// conformance runs and the history of changes.
import { html, render } from '../vendor/lit-html/lit-html.js';
import { api, canAdminister, canOperate, problemText } from '../core/api.js';
import { barChart } from '../core/charts.js';
import { confirmAction, definitions, element, table } from '../core/dom.js';
import { fill, name, number, percent, phaseName, t, tg, translateStatic, when } from '../core/i18n.js';
import { currentView, registerView, show } from '../core/router.js';
import { figuresOf, onRolloutChange, rollout, tileOf } from '../core/rollout.js';

let current = null; // the district code shown
let shown = null; // the board tile of the district as its page was last drawn

const template = () => html`
  <button type="button" id="back" data-t="back" @click=${back}></button>
  <h2 id="district-title" tabindex="-1"></h2>
  <dl id="district-facts"></dl>
  <p class="links">
    <a id="district-onboarding" data-t="onboarding" href="#"></a> ·
    <a id="district-applications" data-t="findApplications" href="#"></a>
  </p>

  <h3 data-t="applications"></h3>
  <p id="statistics-missing" hidden data-t="statisticsMissing"></p>
  <div id="district-statistics">
    <figure class="chart">
      <figcaption id="funnel-caption" data-t="funnel"></figcaption>
      <div id="funnel"></div>
    </figure>
    <dl id="district-figures"></dl>
    <table id="by-status"></table>
  </div>

  <h3 data-t="actions"></h3>
  <p id="action-denied" hidden data-t="viewerOnly"></p>
  <form id="action" hidden @submit=${submitAction}>
    <label for="action-kind" data-t="action"></label>
    <select id="action-kind" @change=${updateActionForm}>
      <option value="suspend" data-t="suspend"></option>
      <option value="phase" data-t="changePhase"></option>
    </select>
    <label for="action-phase" data-t="phase"></label>
    <select id="action-phase"></select>
    <label for="action-reason" data-t="reason"></label>
    <input id="action-reason" required minlength="3" />
    <button type="submit" id="action-submit" data-t="apply"></button>
  </form>
  <p id="action-result" role="status"></p>

  <h3 data-t="parked"></h3>
  <table id="parked"></table>
  <h3 data-t="conformance"></h3>
  <table id="conformance"></table>
  <h3 data-t="history"></h3>
  <table id="history"></table>
`;

const $ = (id) => document.getElementById(id);

function back() {
  const from = current;
  current = null;
  void show('board', [], false).then(() => {
    const tile = document.querySelector(`#board [data-district="${from}"]`);
    if (tile) tile.focus();
  });
}

async function showDistrict(code) {
  const answer = await api('GET', `/operator/v1/districts/${encodeURIComponent(code)}`);
  if (answer.status !== 200) return;
  current = code;
  shown = tileOf(code) || null;
  const { district, adapterHealth, enabledServices, audit, conformanceRuns, parkedPushes } = answer.data;
  $('district-title').textContent = `${district.no}. ${name(district)}`;
  definitions($('district-facts'), [
    [t('phase'), phaseName(district.phase), 'phase'],
    [t('adapter'), adapterHealth.adapterStyle],
    [t('circuit'), tg('circuits', adapterHealth.circuit), 'circuit'],
    [t('backlog'), number(adapterHealth.backlog)],
    [t('parked'), number(adapterHealth.parked)],
    [t('lastSuccess'), adapterHealth.lastSuccessAt ? when(adapterHealth.lastSuccessAt) : '—'],
    [t('servicesEnabled'), number(enabledServices.length), 'services'],
  ]);
  const services = element('details');
  services.append(
    element('summary', {}, t('servicesEnabled')),
    element('p', {}, enabledServices.map((service) => service.serviceNumber).join(', ') || t('none')),
  );
  $('district-facts').querySelector('[data-figure="services"]').append(' ', services);
  $('district-facts').dataset.phase = district.phase;
  $('district-onboarding').href = `#onboarding/${encodeURIComponent(district.code)}`;
  $('district-applications').href = `#applications/district=${encodeURIComponent(district.code)}`;
  renderDistrictStatistics(answer.data.statistics);
  renderActions();
  table(
    $('parked'),
    ['#', t('what'), t('when'), ''],
    parkedPushes.map((push) => {
      if (!canOperate()) return [push.id, push.lastError, when(push.createdAt), ''];
      const replay = element('button', { type: 'button', 'aria-label': `${t('replay')} #${push.id}` }, t('replay'));
      replay.addEventListener('click', () => void act(`/operator/v1/pushes/${push.id}/replay`, {}, replay));
      return [push.id, push.lastError, when(push.createdAt), replay];
    }),
  );
  table(
    $('conformance'),
    [t('when'), t('who'), t('result')],
    conformanceRuns.map((run) => [when(run.startedAt), run.actor, t(run.status)]),
  );
  table(
    $('history'),
    [t('when'), t('who'), t('what'), t('why')],
    audit.map((entry) => [when(entry.at), entry.actor, describeChange(entry), entry.reason]),
  );
  $('district-view').dataset.district = district.code;
}

function describeChange(entry) {
  if (entry.change === 'phase' && entry.after && entry.after.phase) {
    const before = entry.before && entry.before.phase ? `${phaseName(entry.before.phase)} → ` : '';
    return `${t('phase')}: ${before}${phaseName(entry.after.phase)}`;
  }
  return `${entry.change}: ${JSON.stringify(entry.after)}`;
}

function renderActions() {
  const allowed = canOperate();
  $('action').hidden = !allowed;
  $('action-denied').hidden = allowed;
  // Phase changes are the administrator's; an operator only pauses.
  $('action-kind').querySelector('option[value="phase"]').disabled = !canAdminister();
  if (!canAdminister()) $('action-kind').value = 'suspend';
  updateActionForm();
}

/** A phase is picked only for a phase change; a suspended district cannot be paused again. */
function updateActionForm() {
  const kind = $('action-kind').value;
  $('action-phase').disabled = kind !== 'phase';
  $('action-submit').disabled = kind === 'suspend' && $('district-facts').dataset.phase === 'suspended';
}

function submitAction(event) {
  event.preventDefault();
  if (!current) return;
  const path = `/operator/v1/districts/${encodeURIComponent(current)}`;
  void ($('action-kind').value === 'suspend'
    ? act(`${path}/suspension`, {}, $('action-submit'))
    : act(`${path}/phase`, { phase: $('action-phase').value }, $('action-submit')));
}

function renderDistrictStatistics(figures) {
  $('statistics-missing').hidden = Boolean(figures);
  $('district-statistics').hidden = !figures;
  if (!figures) return;
  const stages = ['received', 'registered', 'paid', 'inProgress', 'resultReady', 'delivered'];
  barChart($('funnel'), 'funnel-caption', {
    rows: stages.map((stage) => ({
      key: `funnel.${stage}`,
      label: tg('funnelStages', stage),
      value: figures.funnel[stage],
    })),
    format: number,
  });
  const days = rollout.statistics ? rollout.statistics.atRiskWorkingDays : 2;
  const atRisk = `${t('atRisk')} (${fill(t('withinDays'), { days })})`;
  const { payments, deliveries } = figures;
  // data-value carries the plain figure, whatever the language's number format.
  definitions($('district-figures'), [
    [t('received'), number(figures.total), 'total', figures.total],
    [t('open'), number(figures.open), 'open', figures.open],
    [atRisk, number(figures.atRisk), 'atRisk', figures.atRisk],
    [t('overdue'), number(figures.overdue), 'overdue', figures.overdue],
    [
      t('paymentConversion'),
      `${percent(payments.conversion)} (${number(payments.paid)} / ${number(payments.requested)})`,
      'payments',
      `${payments.paid}/${payments.requested}`,
    ],
    [
      t('deliverySuccess'),
      `${percent(deliveries.success)} (${number(deliveries.delivered)} / ${number(deliveries.sent)})`,
      'deliveries',
      `${deliveries.delivered}/${deliveries.sent}`,
    ],
    [t('deadLetters'), number(figures.deadLetters), 'deadLetters', figures.deadLetters],
  ]);
  table(
    $('by-status'),
    [t('status'), t('count')],
    Object.entries(figures.byStatus)
      .filter(([, count]) => count > 0)
      .map(([status, count]) => {
        const cell = element('span', { 'data-status': status, 'data-value': count }, number(count));
        return [tg('statuses', status), cell];
      }),
  );
}

async function act(path, extra, returnFocus) {
  const reason = $('action-reason').value.trim();
  if (reason.length < 3) {
    $('action-reason').reportValidity();
    $('action-reason').focus();
    return;
  }
  const what = extra.phase
    ? `${t('changePhase')}: ${phaseName(extra.phase)}`
    : path.endsWith('/replay')
      ? t('replay')
      : t('suspend');
  if (!(await confirmAction(`${what} — ${t('reason')}: ${reason}`))) {
    if (returnFocus) returnFocus.focus();
    return;
  }
  const answer = await api('POST', path, { ...extra, reason });
  $('action-result').textContent = answer.status === 200 ? t('done') : problemText(answer, t);
  if (answer.status === 200) $('action-reason').value = '';
  if (current) await showDistrict(current);
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
}

function translateActions() {
  $('action-phase').replaceChildren(
    ...['onboarding', 'pilot', 'live', 'not_started'].map((phase) =>
      element('option', { value: phase }, phaseName(phase)),
    ),
  );
}

const district = {
  name: 'district',
  heading: 'district-title',
  nav: 'board',
  mount(section) {
    section.setAttribute('aria-labelledby', 'district-title');
    render(template(), section);
    translateStatic(section);
    translateActions();
  },
  async show([code]) {
    await showDistrict(code);
  },
  hide() {
    current = null;
  },
  translate() {
    translateStatic(this.section);
    translateActions();
    if (current && currentView() === this) void showDistrict(current);
  },
};

// The page follows the board: a change of phase or adapter health redraws it; figures as they come.
onRolloutChange((kind) => {
  if (currentView() !== district || !current) return;
  if (kind === 'statistics') return renderDistrictStatistics(figuresOf(current));
  const now = tileOf(current);
  if (now && shown && ['phase', 'circuit', 'backlog', 'parked'].some((key) => now[key] !== shown[key])) {
    void showDistrict(current);
  }
});

registerView(district);
