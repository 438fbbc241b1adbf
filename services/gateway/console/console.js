'use strict';
// The operator console: plain script from the gateway's origin, data from /operator/v1 (session cookie).

const strings = {
  bg: {
    title: 'Единен модел — конзола на оператора',
    language: 'Език',
    signIn: 'Вход',
    signOut: 'Изход',
    username: 'Потребител',
    password: 'Парола',
    board: 'Разгръщане по райони',
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
    replay: 'Повтори',
    confirm: 'Потвърждавате ли действието?',
    done: 'Изпълнено',
    badCredentials: 'Грешен потребител или парола',
    forbidden: 'Ролята ви не позволява това действие',
    when: 'Кога',
    who: 'Кой',
    what: 'Какво',
    why: 'Защо',
    passed: 'Успешна',
    failed: 'Неуспешна',
    none: 'Няма',
    phases: {
      not_started: 'не е започнал',
      onboarding: 'подготовка',
      pilot: 'пилот',
      live: 'работи',
      suspended: 'спрян',
    },
  },
  en: {
    title: 'Unified Model — operator console',
    language: 'Language',
    signIn: 'Sign in',
    signOut: 'Sign out',
    username: 'Username',
    password: 'Password',
    board: 'Rollout by district',
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
    replay: 'Replay',
    confirm: 'Do you confirm this action?',
    done: 'Done',
    badCredentials: 'Wrong username or password',
    forbidden: 'Your role does not allow this action',
    when: 'When',
    who: 'Who',
    what: 'What',
    why: 'Why',
    passed: 'Passed',
    failed: 'Failed',
    none: 'None',
    phases: {
      not_started: 'not started',
      onboarding: 'onboarding',
      pilot: 'pilot',
      live: 'live',
      suspended: 'suspended',
    },
  },
};

let language = localStorage.getItem('umg-language') || 'bg';
let board = [];
let current = null; // the district code shown on the district page
let events = null;

const $ = (id) => document.getElementById(id);
const t = (key) => strings[language][key] || key;
const phaseName = (phase) => strings[language].phases[phase] || phase;
const name = (d) => (language === 'bg' ? d.nameBg : d.nameEn);

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

function translate() {
  document.documentElement.lang = language;
  document.title = t('title');
  for (const element of document.querySelectorAll('[data-t]')) element.textContent = t(element.dataset.t);
  $('language').value = language;
  renderLegend();
  renderBoard();
  if (current) void showDistrict(current);
}

function renderLegend() {
  $('legend').replaceChildren(
    ...Object.keys(strings[language].phases).map((phase) => {
      const item = document.createElement('li');
      item.className = `phase-${phase}`;
      item.textContent = phaseName(phase);
      return item;
    }),
  );
}

function renderBoard() {
  const tiles = board.map((d) => {
    const tile = document.createElement('button');
    tile.type = 'button';
    tile.className = `tile phase-${d.phase}${d.circuit === 'closed' ? '' : ' circuit-open'}`;
    tile.style.gridRow = String(d.row + 1);
    tile.style.gridColumn = String(d.col + 1);
    tile.setAttribute('role', 'listitem');
    tile.dataset.district = d.code;
    tile.dataset.phase = d.phase;
    const figures = `${phaseName(d.phase)} · ${t('circuit')}: ${d.circuit} · ${t('backlog')}: ${d.backlog} · ${t('parked')}: ${d.parked}`;
    tile.title = `${name(d)} — ${figures}`;
    tile.setAttribute('aria-label', `${name(d)}: ${figures}`);
    const label = document.createElement('span');
    label.className = 'name';
    label.textContent = name(d);
    const detail = document.createElement('span');
    detail.className = 'figures';
    detail.textContent = phaseName(d.phase);
    tile.append(label, detail);
    tile.addEventListener('click', () => void showDistrict(d.code));
    return tile;
  });
  $('board').replaceChildren(...tiles);
}

function show(view) {
  $('sign-in').hidden = view !== 'sign-in';
  $('board-view').hidden = view !== 'board';
  $('district-view').hidden = view !== 'district';
  $('sign-out').hidden = view === 'sign-in';
}

function table(element, headers, rows) {
  const head = document.createElement('tr');
  for (const header of headers) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = header;
    head.append(cell);
  }
  const body = rows.map((row) => {
    const line = document.createElement('tr');
    for (const value of row) {
      const cell = document.createElement('td');
      if (value instanceof Node) cell.append(value);
      else cell.textContent = value == null ? '' : String(value);
      line.append(cell);
    }
    return line;
  });
  if (body.length === 0) {
    const line = document.createElement('tr');
    const cell = document.createElement('td');
    cell.colSpan = headers.length;
    cell.textContent = t('none');
    line.append(cell);
    body.push(line);
  }
  element.replaceChildren(head, ...body);
}

async function showDistrict(code) {
  const answer = await api('GET', `/operator/v1/districts/${encodeURIComponent(code)}`);
  if (answer.status === 401) return signedOut();
  if (answer.status !== 200) return;
  current = code;
  const { district, adapterHealth, audit, conformanceRuns, parkedDeliveries } = answer.data;
  $('district-title').textContent = `${district.no}. ${name(district)}`;
  const facts = [
    [t('phase'), phaseName(district.phase)],
    [t('adapter'), adapterHealth.adapterStyle],
    [t('circuit'), adapterHealth.circuit],
    [t('backlog'), adapterHealth.backlog],
    [t('parked'), adapterHealth.parked],
    [t('lastSuccess'), adapterHealth.lastSuccessAt || '—'],
  ];
  $('district-facts').replaceChildren(
    ...facts.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = String(value);
      dd.dataset.fact = term;
      return [dt, dd];
    }),
  );
  $('district-facts').dataset.phase = district.phase;
  table(
    $('parked'),
    ['#', t('what'), t('when'), ''],
    parkedDeliveries.map((delivery) => {
      const replay = document.createElement('button');
      replay.type = 'button';
      replay.textContent = t('replay');
      replay.addEventListener('click', () => void act(`/operator/v1/deliveries/${delivery.id}/replay`, {}));
      return [delivery.id, delivery.lastError, delivery.createdAt, replay];
    }),
  );
  table(
    $('conformance'),
    [t('when'), t('who'), t('phase')],
    conformanceRuns.map((run) => [run.startedAt, run.actor, run.passed ? t('passed') : t('failed')]),
  );
  table(
    $('history'),
    [t('when'), t('who'), t('what'), t('why')],
    audit.map((entry) => [entry.at, entry.actor, `${entry.change}: ${JSON.stringify(entry.after)}`, entry.reason]),
  );
  show('district');
}

async function act(path, extra) {
  const reason = $('action-reason').value.trim();
  if (reason.length < 3) {
    $('action-reason').reportValidity();
    return;
  }
  if (!window.confirm(t('confirm'))) return;
  const answer = await api('POST', path, { ...extra, reason });
  $('action-result').textContent =
    answer.status === 200
      ? t('done')
      : answer.status === 403
        ? t('forbidden')
        : (answer.data && answer.data.title) || String(answer.status);
  if (current) await showDistrict(current);
}

function listen() {
  if (events) events.close();
  events = new EventSource('/operator/v1/events');
  events.addEventListener('board', (event) => {
    board = JSON.parse(event.data);
    $('updated').textContent = new Date().toLocaleTimeString(language);
    renderBoard();
  });
}

function signedOut() {
  if (events) events.close();
  current = null;
  $('who').textContent = '';
  show('sign-in');
}

async function start() {
  const me = await api('GET', '/operator/v1/me');
  if (me.status !== 200) return signedOut();
  $('who').textContent = `${me.data.username} (${me.data.role})`;
  const list = await api('GET', '/operator/v1/districts');
  if (list.status === 200) board = list.data;
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
  await start();
});
$('sign-out').addEventListener('click', async () => {
  await api('DELETE', '/operator/v1/session');
  signedOut();
});
$('back').addEventListener('click', () => {
  current = null;
  show('board');
});
$('action').addEventListener('submit', (event) => {
  event.preventDefault();
  if (!current) return;
  const kind = $('action-kind').value;
  void (kind === 'suspend'
    ? act(`/operator/v1/districts/${encodeURIComponent(current)}/suspension`, {})
    : act(`/operator/v1/districts/${encodeURIComponent(current)}/phase`, { phase: $('action-phase').value }));
});

translate();
void start();
