'use strict';
// The operator console: plain script from the gateway's origin, data from /operator/v1 (session cookie),
// live updates over server-sent events. Charts are inline SVG drawn here, each with a data table beside it.

const strings = {
  bg: {
    title: 'Единен модел — конзола на оператора',
    skip: 'Към съдържанието',
    language: 'Език',
    views: 'Изгледи',
    legend: 'Легенда',
    signIn: 'Вход',
    signOut: 'Изход',
    username: 'Потребител',
    password: 'Парола',
    board: 'Разгръщане по райони',
    boardHint: 'Изберете район за подробности; стрелките местят между съседните райони.',
    city: 'Градът',
    updated: 'Обновено',
    back: '← Към картата',
    actions: 'Действия',
    action: 'Действие',
    suspend: 'Спиране (пауза)',
    changePhase: 'Смяна на фаза',
    phase: 'Фаза',
    reason: 'Причина',
    apply: 'Изпълни',
    parked: 'Спрени съобщения',
    conformance: 'Проверки за съответствие',
    history: 'История',
    adapter: 'Адаптер',
    circuit: 'Верига',
    backlog: 'Чакащи',
    lastSuccess: 'Последен успешен обмен',
    services: 'Услуги',
    servicesEnabled: 'Включени услуги',
    replay: 'Повтори',
    confirm: 'Потвърждавате ли действието?',
    confirmOk: 'Потвърждавам',
    cancel: 'Отказ',
    done: 'Изпълнено',
    badCredentials: 'Грешен потребител или парола',
    forbidden: 'Ролята ви не позволява това действие',
    viewerOnly: 'Ролята ви позволява само преглед.',
    when: 'Кога',
    who: 'Кой',
    what: 'Какво',
    why: 'Защо',
    passed: 'Успешна',
    failed: 'Неуспешна',
    running: 'Тече (чака клиента на района)',
    none: 'Няма',
    result: 'Резултат',
    applications: 'Заявления',
    statisticsMissing: 'Данните за заявленията не са достъпни в момента.',
    funnel: 'Път на заявленията: получени → доставени',
    status: 'Състояние',
    count: 'Брой',
    open: 'Незавършени',
    atRisk: 'С изтичащ срок',
    overdue: 'Просрочени',
    paymentConversion: 'Платени от поисканите плащания',
    deliverySuccess: 'Доставени от изпратените резултати',
    deadLetters: 'Непреработени съобщения',
    volumes: 'Заявления по часове (последните 24 часа)',
    latency: 'Време от получаване до приключване (медиана и 90-и перцентил)',
    busiest: 'Най-търсени услуги',
    overduePerDistrict: 'Незавършени и просрочени заявления по райони',
    openData: 'Отворени данни',
    received: 'Получени',
    closed: 'Приключени',
    median: 'Медиана',
    p90: '90-и перцентил',
    hour: 'Час',
    service: 'Услуга',
    total: 'Общо',
    district: 'Район',
    showTable: 'Данните като таблица',
    phaseChanged: 'Районът {name} е във фаза „{phase}“',
    withinDays: 'до {days} работни дни',
    funnelStages: {
      received: 'получени',
      registered: 'регистрирани',
      paid: 'платени',
      inProgress: 'в работа',
      resultReady: 'с готов резултат',
      delivered: 'доставени',
    },
    statuses: {
      received: 'получено',
      routed: 'насочено',
      registered: 'регистрирано',
      returned_for_corrections: 'върнато за корекции',
      awaiting_payment: 'очаква плащане',
      paid: 'платено',
      expired_unpaid: 'неплатено в срок',
      in_progress: 'в работа',
      result_ready: 'готов резултат',
      delivered: 'доставено',
      awaiting_collection: 'за получаване на гише',
      refused: 'отказ',
      withdrawn: 'оттеглено',
    },
    phases: {
      not_started: 'не е започнал',
      onboarding: 'подготовка',
      pilot: 'пилот',
      live: 'работи',
      suspended: 'спрян',
    },
    roles: { viewer: 'наблюдател', operator: 'оператор', administrator: 'администратор' },
    circuits: { closed: 'затворена (нормално)', open: 'отворена (прекъснат)', half_open: 'полуотворена (проба)' },
    units: { s: 'с', min: 'мин', h: 'ч', d: 'д' },
  },
  en: {
    title: 'Unified Model — operator console',
    skip: 'Skip to content',
    language: 'Language',
    views: 'Views',
    legend: 'Legend',
    signIn: 'Sign in',
    signOut: 'Sign out',
    username: 'Username',
    password: 'Password',
    board: 'Rollout by district',
    boardHint: 'Choose a district for details; the arrow keys move between neighbouring districts.',
    city: 'City-wide',
    updated: 'Updated',
    back: '← Back to the map',
    actions: 'Actions',
    action: 'Action',
    suspend: 'Suspend (pause)',
    changePhase: 'Change phase',
    phase: 'Phase',
    reason: 'Reason',
    apply: 'Apply',
    parked: 'Parked messages',
    conformance: 'Conformance runs',
    history: 'History',
    adapter: 'Adapter',
    circuit: 'Circuit',
    backlog: 'Backlog',
    lastSuccess: 'Last successful exchange',
    services: 'Services',
    servicesEnabled: 'Services enabled',
    replay: 'Replay',
    confirm: 'Do you confirm this action?',
    confirmOk: 'Confirm',
    cancel: 'Cancel',
    done: 'Done',
    badCredentials: 'Wrong username or password',
    forbidden: 'Your role does not allow this action',
    viewerOnly: 'Your role allows reading only.',
    when: 'When',
    who: 'Who',
    what: 'What',
    why: 'Why',
    passed: 'Passed',
    failed: 'Failed',
    running: 'Running (waiting for the district’s client)',
    none: 'None',
    result: 'Result',
    applications: 'Applications',
    statisticsMissing: 'The applications’ figures are not available at the moment.',
    funnel: 'Applications from received to delivered',
    status: 'Status',
    count: 'Count',
    open: 'Open',
    atRisk: 'Deadline at risk',
    overdue: 'Overdue',
    paymentConversion: 'Paid of those asked to pay',
    deliverySuccess: 'Delivered of the results sent',
    deadLetters: 'Unprocessed messages',
    volumes: 'Applications per hour (last 24 hours)',
    latency: 'Time from receipt to closing (median and 90th percentile)',
    busiest: 'Busiest services',
    overduePerDistrict: 'Open and overdue applications per district',
    openData: 'Open data',
    received: 'Received',
    closed: 'Closed',
    median: 'Median',
    p90: '90th percentile',
    hour: 'Hour',
    service: 'Service',
    total: 'Total',
    district: 'District',
    showTable: 'The data as a table',
    phaseChanged: '{name} is now in phase “{phase}”',
    withinDays: 'within {days} working days',
    funnelStages: {
      received: 'received',
      registered: 'registered',
      paid: 'paid',
      inProgress: 'in progress',
      resultReady: 'result ready',
      delivered: 'delivered',
    },
    statuses: {
      received: 'received',
      routed: 'routed',
      registered: 'registered',
      returned_for_corrections: 'returned for corrections',
      awaiting_payment: 'awaiting payment',
      paid: 'paid',
      expired_unpaid: 'expired unpaid',
      in_progress: 'in progress',
      result_ready: 'result ready',
      delivered: 'delivered',
      awaiting_collection: 'awaiting collection at the desk',
      refused: 'refused',
      withdrawn: 'withdrawn',
    },
    phases: {
      not_started: 'not started',
      onboarding: 'onboarding',
      pilot: 'pilot',
      live: 'live',
      suspended: 'suspended',
    },
    roles: { viewer: 'viewer', operator: 'operator', administrator: 'administrator' },
    circuits: { closed: 'closed (normal)', open: 'open (cut off)', half_open: 'half open (probing)' },
    units: { s: 's', min: 'min', h: 'h', d: 'd' },
  },
};

const SVG = 'http://www.w3.org/2000/svg';
const phases = ['not_started', 'onboarding', 'pilot', 'live', 'suspended'];

let language = localStorage.getItem('umg-language') === 'en' ? 'en' : 'bg';
let operator = null; // { username, role }
let board = [];
let statistics = null; // the city's figures (GET /operator/v1/statistics, then the event stream)
let view = 'sign-in';
let current = null; // the district code shown on the district page
let shown = null; // the board tile of the district as its page was last drawn
let hovered = null; // the district whose figures the board's side panel shows
let events = null;

const $ = (id) => document.getElementById(id);
const t = (key) => strings[language][key] || key;
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
const phaseName = (phase) => strings[language].phases[phase] || phase;
const name = (d) => (language === 'bg' ? d.nameBg : d.nameEn);
const locale = () => (language === 'bg' ? 'bg-BG' : 'en-GB');
const number = (value) => new Intl.NumberFormat(locale()).format(value);
const percent = (value) =>
  value === null || value === undefined
    ? '—'
    : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(value);
const canOperate = () => operator && (operator.role === 'operator' || operator.role === 'administrator');
const canAdminister = () => operator && operator.role === 'administrator';

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const units = strings[language].units;
  if (seconds < 60) return `${Math.round(seconds)} ${units.s}`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} ${units.min}`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} ${units.h}`;
  return `${(seconds / 86400).toFixed(1)} ${units.d}`;
}

function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  return { status: response.status, data };
}

// ---- views ----------------------------------------------------------------------------------

function show(next, focus = true) {
  view = next;
  $('sign-in').hidden = next !== 'sign-in';
  $('board-view').hidden = next !== 'board';
  $('city-view').hidden = next !== 'city';
  $('district-view').hidden = next !== 'district';
  $('sign-out').hidden = next === 'sign-in';
  $('views').hidden = next === 'sign-in';
  for (const button of $('views').querySelectorAll('button')) {
    if (button.dataset.view === next || (next === 'district' && button.dataset.view === 'board')) {
      button.setAttribute('aria-current', 'page');
    } else {
      button.removeAttribute('aria-current');
    }
  }
  if (next === 'city') renderCity();
  if (!focus) return;
  // Move focus to the new view's heading so keyboard and screen-reader users land where it changed.
  const heading = { board: 'board-title', city: 'city-title', district: 'district-title', 'sign-in': 'username' }[next];
  $(heading).focus();
}

function translate() {
  document.documentElement.lang = language;
  document.title = t('title');
  for (const node of document.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t);
  for (const node of document.querySelectorAll('[data-t-label]'))
    node.setAttribute('aria-label', t(node.dataset.tLabel));
  $('language').value = language;
  renderWho();
  $('action-phase').replaceChildren(
    ...['onboarding', 'pilot', 'live', 'not_started'].map((phase) =>
      element('option', { value: phase }, phaseName(phase)),
    ),
  );
  renderLegend();
  renderBoard();
  renderTileFigures();
  if (view === 'city') renderCity();
  if (current) void showDistrict(current, false);
}

function renderWho() {
  $('who').textContent = operator
    ? `${operator.username} (${strings[language].roles[operator.role] || operator.role})`
    : '';
}

// ---- the board ------------------------------------------------------------------------------

function renderLegend() {
  $('legend').replaceChildren(...phases.map((phase) => element('li', { class: `phase-${phase}` }, phaseName(phase))));
  const open = element('li', { class: 'circuit-open' }, `${t('circuit')}: ${strings[language].circuits.open}`);
  $('legend').append(open);
}

function figuresOf(code) {
  return statistics ? statistics.districts.find((figures) => figures.districtCode === code) : undefined;
}

function tileSummary(d) {
  const figures = figuresOf(d.code);
  const parts = [phaseName(d.phase), `${t('circuit')}: ${strings[language].circuits[d.circuit] || d.circuit}`];
  if (figures) parts.push(`${t('open')}: ${number(figures.open)}`, `${t('overdue')}: ${number(figures.overdue)}`);
  return parts.join(' · ');
}

function renderBoard() {
  const focused = document.activeElement && document.activeElement.dataset && document.activeElement.dataset.district;
  const items = board.map((d) => {
    const item = element('li');
    item.style.gridRow = String(d.row + 1);
    item.style.gridColumn = String(d.col + 1);
    const tile = element('button', {
      type: 'button',
      class: `tile phase-${d.phase}${d.circuit === 'closed' ? '' : ' circuit-open'}`,
      'data-district': d.code,
      'data-phase': d.phase,
      'data-row': d.row,
      'data-col': d.col,
      'aria-label': `${d.no}. ${name(d)}: ${tileSummary(d)}`,
    });
    const figures = figuresOf(d.code);
    tile.append(
      element('span', { class: 'name' }, name(d)),
      element('span', { class: 'figures' }, phaseName(d.phase)),
      element(
        'span',
        { class: 'figures' },
        figures ? `${t('open')} ${number(figures.open)} · ${t('overdue')} ${number(figures.overdue)}` : '',
      ),
    );
    tile.addEventListener('click', () => void showDistrict(d.code));
    tile.addEventListener('mouseenter', () => showTileFigures(d.code));
    tile.addEventListener('focus', () => showTileFigures(d.code));
    item.append(tile);
    return item;
  });
  $('board').replaceChildren(...items);
  // Redrawing must not take the keyboard user's place on the map.
  if (focused) {
    const again = $('board').querySelector(`[data-district="${focused}"]`);
    if (again) again.focus();
  }
  renderTileFigures();
}

function showTileFigures(code) {
  hovered = code;
  renderTileFigures();
}

/** The side panel: the hovered or focused district's live figures. */
function renderTileFigures() {
  const d = board.find((tile) => tile.code === hovered) || board[0];
  if (!d) return;
  $('tile-figures-title').textContent = `${d.no}. ${name(d)}`;
  const figures = figuresOf(d.code);
  const rows = [
    [t('phase'), phaseName(d.phase)],
    [t('adapter'), d.adapterStyle],
    [t('circuit'), strings[language].circuits[d.circuit] || d.circuit],
    [t('backlog'), number(d.backlog)],
    [t('parked'), number(d.parked)],
  ];
  if (figures) {
    rows.push(
      [t('received'), number(figures.total)],
      [t('open'), number(figures.open)],
      [t('atRisk'), number(figures.atRisk)],
      [t('overdue'), number(figures.overdue)],
    );
  }
  definitions($('tile-figures-list'), rows);
}

/** Arrow keys move between tiles as the districts lie on the map. */
function moveOnBoard(event) {
  const steps = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const step = steps[event.key];
  const from = event.target.closest('.tile');
  if (!step || !from) return;
  const row = Number(from.dataset.row);
  const col = Number(from.dataset.col);
  let best = null;
  let bestScore = Infinity;
  for (const tile of $('board').querySelectorAll('.tile')) {
    const dr = Number(tile.dataset.row) - row;
    const dc = Number(tile.dataset.col) - col;
    const along = dr * step[0] + dc * step[1];
    if (along <= 0) continue;
    const across = Math.abs(step[0] ? dc : dr);
    const score = along + across * 2;
    if (score < bestScore) {
      bestScore = score;
      best = tile;
    }
  }
  if (best) {
    event.preventDefault();
    best.focus();
  }
}

// ---- a district's page ----------------------------------------------------------------------

function definitions(list, rows) {
  list.replaceChildren(
    ...rows.flatMap(([term, value, key, raw]) => {
      const dd = element('dd', key ? { 'data-figure': key, 'data-value': raw === undefined ? value : raw } : {}, value);
      return [element('dt', {}, term), dd];
    }),
  );
}

function table(node, headers, rows) {
  const head = element('tr');
  for (const header of headers) head.append(element('th', { scope: 'col' }, header));
  const body = rows.map((row) => {
    const line = element('tr');
    for (const value of row) {
      const cell = element('td');
      if (value instanceof Node) cell.append(value);
      else cell.textContent = value === null || value === undefined ? '' : String(value);
      line.append(cell);
    }
    return line;
  });
  if (body.length === 0) {
    const line = element('tr');
    line.append(element('td', { colspan: headers.length }, t('none')));
    body.push(line);
  }
  node.replaceChildren(element('thead'), element('tbody'));
  node.tHead.append(head);
  node.tBodies[0].append(...body);
}

async function showDistrict(code, focus = true) {
  const answer = await api('GET', `/operator/v1/districts/${encodeURIComponent(code)}`);
  if (answer.status === 401) return signedOut();
  if (answer.status !== 200) return;
  current = code;
  shown = board.find((tile) => tile.code === code) || null;
  const { district, adapterHealth, enabledServices, audit, conformanceRuns, parkedDeliveries } = answer.data;
  $('district-title').textContent = `${district.no}. ${name(district)}`;
  definitions($('district-facts'), [
    [t('phase'), phaseName(district.phase), 'phase'],
    [t('adapter'), adapterHealth.adapterStyle],
    [t('circuit'), strings[language].circuits[adapterHealth.circuit] || adapterHealth.circuit, 'circuit'],
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
  $('district-view').dataset.district = district.code;
  renderDistrictStatistics(answer.data.statistics);
  renderActions();
  table(
    $('parked'),
    ['#', t('what'), t('when'), ''],
    parkedDeliveries.map((delivery) => {
      if (!canOperate()) return [delivery.id, delivery.lastError, when(delivery.createdAt), ''];
      const replay = element('button', { type: 'button', 'aria-label': `${t('replay')} #${delivery.id}` }, t('replay'));
      replay.addEventListener('click', () => void act(`/operator/v1/deliveries/${delivery.id}/replay`, {}, replay));
      return [delivery.id, delivery.lastError, when(delivery.createdAt), replay];
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
  if (view !== 'district') show('district', focus);
}

function when(iso) {
  return new Date(iso).toLocaleString(locale());
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

function renderDistrictStatistics(figures) {
  $('statistics-missing').hidden = Boolean(figures);
  $('district-statistics').hidden = !figures;
  if (!figures) return;
  const stages = Object.keys(strings[language].funnelStages);
  barChart($('funnel'), 'funnel-caption', {
    rows: stages.map((stage) => ({
      key: `funnel.${stage}`,
      label: strings[language].funnelStages[stage],
      value: figures.funnel[stage],
    })),
    format: number,
  });
  const atRisk = `${t('atRisk')} (${fill(t('withinDays'), { days: statistics ? statistics.atRiskWorkingDays : 2 })})`;
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
        return [strings[language].statuses[status] || status, cell];
      }),
  );
}

// ---- actions --------------------------------------------------------------------------------

function confirmAction(text) {
  const dialog = $('confirm');
  $('confirm-text').textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    $('confirm-ok').focus();
  });
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
  $('action-result').textContent =
    answer.status === 200
      ? t('done')
      : answer.status === 403
        ? t('forbidden')
        : (answer.data && (answer.data.detail || answer.data.title)) || String(answer.status);
  if (answer.status === 200) $('action-reason').value = '';
  if (current) await showDistrict(current, false);
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
}

// ---- city-wide views ------------------------------------------------------------------------

function renderCity() {
  if (!statistics) return;
  $('city-updated').textContent = when(statistics.generatedAt);
  const hours = statistics.timeline.map((point) =>
    new Date(point.hour).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' }),
  );
  lineChart($('volumes-chart'), 'volumes-caption', {
    labels: hours,
    series: [
      { name: t('received'), className: 'series-1', values: statistics.timeline.map((point) => point.received) },
      { name: t('closed'), className: 'series-2', values: statistics.timeline.map((point) => point.closed) },
    ],
    format: number,
  });
  lineChart($('latency-chart'), 'latency-caption', {
    labels: hours,
    series: [
      { name: t('median'), className: 'series-1', values: statistics.timeline.map((point) => point.medianSeconds) },
      { name: t('p90'), className: 'series-3', values: statistics.timeline.map((point) => point.p90Seconds) },
    ],
    format: duration,
  });
  table(
    $('busiest'),
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
  const byNo = new Map(board.map((d) => [d.code, d]));
  barChart($('overdue-chart'), 'overdue-caption', {
    rows: statistics.districts.map((figures) => ({
      key: `overdue.${figures.districtCode}`,
      label: byNo.get(figures.districtCode) ? name(byNo.get(figures.districtCode)) : figures.districtCode,
      value: figures.overdue,
      second: figures.open,
    })),
    format: number,
    secondName: t('open'),
    firstName: t('overdue'),
  });
}

/** A line chart of series over the same labels, with the numbers in a table beside it. */
function lineChart(container, captionId, { labels, series, format }) {
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
function barChart(container, captionId, { rows, format, firstName, secondName }) {
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

function dataTable(headers, rows) {
  const details = element('details');
  details.append(element('summary', {}, t('showTable')));
  const data = element('table');
  table(data, headers, rows);
  details.append(data);
  return details;
}

// ---- live updates ---------------------------------------------------------------------------

function onBoard(next) {
  for (const d of next) {
    const before = board.find((tile) => tile.code === d.code);
    if (before && before.phase !== d.phase)
      $('announce').textContent = fill(t('phaseChanged'), { name: name(d), phase: phaseName(d.phase) });
  }
  board = next;
  $('updated').textContent = new Date().toLocaleTimeString(locale());
  renderBoard();
  // The district page follows the board: a change of phase or adapter health redraws it.
  const now = current && board.find((tile) => tile.code === current);
  if (
    view === 'district' &&
    now &&
    shown &&
    ['phase', 'circuit', 'backlog', 'parked'].some((key) => now[key] !== shown[key])
  ) {
    void showDistrict(current, false);
  }
}

function onStatistics(next) {
  statistics = next;
  renderBoard();
  if (view === 'city') renderCity();
  if (view === 'district' && current) renderDistrictStatistics(figuresOf(current));
}

function listen() {
  if (events) events.close();
  events = new EventSource('/operator/v1/events');
  events.addEventListener('board', (event) => onBoard(JSON.parse(event.data)));
  events.addEventListener('statistics', (event) => onStatistics(JSON.parse(event.data)));
  // The browser reconnects by itself after a dropped connection, but not after an error answer
  // (the session ended): then sign in again, or start over after a pause.
  events.addEventListener('error', () => {
    if (events.readyState !== EventSource.CLOSED) return;
    void api('GET', '/operator/v1/me').then((me) => {
      if (me.status === 401) signedOut();
      else window.setTimeout(() => operator && listen(), 5_000);
    });
  });
}

// ---- session --------------------------------------------------------------------------------

function signedOut() {
  if (events) events.close();
  events = null;
  operator = null;
  current = null;
  $('who').textContent = '';
  show('sign-in', false);
}

async function start() {
  const me = await api('GET', '/operator/v1/me');
  if (me.status !== 200) return signedOut();
  operator = me.data;
  renderWho();
  document.body.dataset.role = operator.role;
  const [list, figures] = await Promise.all([
    api('GET', '/operator/v1/districts'),
    api('GET', '/operator/v1/statistics'),
  ]);
  if (list.status === 200) board = list.data;
  if (figures.status === 200) statistics = figures.data;
  renderBoard();
  show('board');
  listen();
}

$('language').addEventListener('change', (event) => {
  language = event.target.value;
  localStorage.setItem('umg-language', language);
  translate();
});
$('sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  const answer = await api('POST', '/operator/v1/session', {
    username: $('username').value,
    password: $('password').value,
  });
  if (answer.status !== 201) {
    $('sign-in-error').textContent = t('badCredentials');
    return;
  }
  $('sign-in-error').textContent = '';
  $('password').value = '';
  await start();
});
$('sign-out').addEventListener('click', async () => {
  await api('DELETE', '/operator/v1/session');
  signedOut();
});
$('back').addEventListener('click', () => {
  const from = current;
  current = null;
  show('board', false);
  const tile = $('board').querySelector(`[data-district="${from}"]`);
  if (tile) tile.focus();
});
for (const button of $('views').querySelectorAll('button')) {
  button.addEventListener('click', () => {
    current = null;
    show(button.dataset.view);
  });
}
$('board').addEventListener('keydown', moveOnBoard);
$('action-kind').addEventListener('change', updateActionForm);
$('action').addEventListener('submit', (event) => {
  event.preventDefault();
  if (!current) return;
  const kind = $('action-kind').value;
  void (kind === 'suspend'
    ? act(`/operator/v1/districts/${encodeURIComponent(current)}/suspension`, {}, $('action-submit'))
    : act(
        `/operator/v1/districts/${encodeURIComponent(current)}/phase`,
        { phase: $('action-phase').value },
        $('action-submit'),
      ));
});

translate();
void start();
