// Deadlines: open applications due soon or overdue (live), and the working days moved by
// government decree that every deadline counts in; administrators enter and delete them.
import { html, nothing, render } from '../vendor/lit-html/lit-html.js';
import { api, canAdminister, problemText } from '../core/api.js';
import { confirmAction } from '../core/dom.js';
import { addStrings, day, name, statusName, t, tg, when } from '../core/i18n.js';
import { onLive } from '../core/live.js';
import { currentView, registerView } from '../core/router.js';
import { rollout } from '../core/rollout.js';

addStrings({
  bg: {
    deadlines: 'Срокове',
    deadlinesHint: 'Отворени заявления с изтичащ или изтекъл срок; обновява се на живо.',
    overdueCount: 'Просрочени',
    dueSoonCount: 'Изтичат до 2 работни дни',
    pausedCount: 'Върнати за корекции (срокът е спрян)',
    dueAt: 'Срок',
    service: 'Услуга',
    registrationNumber: 'Рег. номер',
    deadlineStates: { overdue: 'просрочено', due_soon: 'изтича скоро' },
    decreeDays: 'Дни, преместени с решение на Министерския съвет',
    decreeDaysHint: 'Влизат в сила веднага: сроковете на отворените заявления се преизчисляват.',
    year: 'Година',
    showYear: 'Покажи',
    date: 'Дата',
    kind: 'Вид',
    decreeKinds: { working_day: 'работен ден', day_off: 'почивен ден' },
    decreeReference: 'Решение (напр. РМС № 123/2026)',
    note: 'Бележка',
    enterDecreeDay: 'Въведи',
    deleteDecreeDay: 'Изтрий',
    deletionReason: 'Причина за изтриването',
    entered: 'Въведен',
    deleted: 'Изтрит',
    recomputed: 'Преизчислени срокове: {count}',
    calendarAudit: 'История на промените в календара',
    action: 'Действие',
    auditActions: { entered: 'въведен', deleted: 'изтрит' },
  },
  en: {
    deadlines: 'Deadlines',
    deadlinesHint: 'Open applications due soon or overdue; updated live.',
    overdueCount: 'Overdue',
    dueSoonCount: 'Due within 2 working days',
    pausedCount: 'Returned for corrections (clock stopped)',
    dueAt: 'Due',
    service: 'Service',
    registrationNumber: 'Reg. number',
    deadlineStates: { overdue: 'overdue', due_soon: 'due soon' },
    decreeDays: 'Days moved by Council of Ministers decision',
    decreeDaysHint: 'They count at once: the due times of open applications are recomputed.',
    year: 'Year',
    showYear: 'Show',
    date: 'Date',
    kind: 'Kind',
    decreeKinds: { working_day: 'working day', day_off: 'day off' },
    decreeReference: 'Decision (e.g. РМС № 123/2026)',
    note: 'Note',
    enterDecreeDay: 'Enter',
    deleteDecreeDay: 'Delete',
    deletionReason: 'Why it is deleted',
    entered: 'Entered',
    deleted: 'Deleted',
    recomputed: 'Due times recomputed: {count}',
    calendarAudit: 'Changes to the calendar',
    action: 'Action',
    auditActions: { entered: 'entered', deleted: 'deleted' },
  },
});

let section;
const state = {
  alerts: null,
  year: new Date().getFullYear(),
  decreeDays: [],
  audit: [],
  entry: { date: '', kind: 'day_off', decreeReference: '', note: '' },
  reasons: {},
  status: '',
  error: '',
};

const districtName = (code) => {
  const district = rollout.board.find((d) => d.code === code);
  return district ? name(district) : code;
};

/** A table with column headers (the words' keys), its rows, or one "none" row. */
const dataTable = (id, headers, items, row) =>
  html`<table id=${id}>
    <thead>
      <tr>
        ${headers.map((key) => html`<th scope="col">${t(key)}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${
        items.length
          ? items.map(row)
          : html`<tr>
              <td colspan=${headers.length}>${t('none')}</td>
            </tr>`
      }
    </tbody>
  </table>`;

const auditRow = (entry) =>
  html`<tr>
    <td>${when(entry.at)}</td>
    <td>${entry.actor.replace(/^operator:/, '')}</td>
    <td>
      ${tg('auditActions', entry.action)}
      (${tg('decreeKinds', entry.kind)})${entry.reason ? html` — ${entry.reason}` : nothing}
    </td>
    <td>${day(entry.date)}</td>
    <td>${entry.decreeReference}</td>
  </tr>`;

const alertRow = (item) =>
  html`<tr data-application-id=${item.applicationId} data-state=${item.state}>
    <td>${districtName(item.districtCode)}</td>
    <td>${item.serviceNumber} ${item.serviceName}</td>
    <td>${item.registrationNumber ?? '—'}</td>
    <td>${statusName(item.status)}</td>
    <td>${tg('deadlineStates', item.state)}</td>
    <td data-due-at=${item.dueAt}>${when(item.dueAt)}</td>
  </tr>`;

const decreeRow = (d) =>
  html`<tr data-decree-day=${d.date} data-deleted=${d.deletedAt ? 'yes' : 'no'}>
    <td>${day(d.date)}</td>
    <td>${tg('decreeKinds', d.kind)}</td>
    <td>${d.decreeReference}${d.note ? html` · ${d.note}` : nothing}</td>
    <td>
      ${t('entered')}: ${d.enteredBy.replace(/^operator:/, '')}, ${when(d.enteredAt)}
      ${d.deletedAt ? html`<br />${t('deleted')}: ${d.deletedBy.replace(/^operator:/, '')}, ${when(d.deletedAt)} — ${d.deletionReason}` : nothing}
    </td>
    <td>
      ${
        canAdminister() && !d.deletedAt
          ? html`<label for=${`decree-reason-${d.id}`}>${t('deletionReason')}</label>
              <input
                id=${`decree-reason-${d.id}`}
                .value=${state.reasons[d.id] ?? ''}
                @input=${(e) => (state.reasons[d.id] = e.target.value)}
              />
              <button type="button" class="delete-decree-day" @click=${() => void remove(d)}>
                ${t('deleteDecreeDay')}
              </button>`
          : nothing
      }
    </td>
  </tr>`;

function draw() {
  const alerts = state.alerts;
  render(
    html`<h2 id="deadlines-title" tabindex="-1">${t('deadlines')}</h2>
      <p class="hint">${t('deadlinesHint')}</p>
      ${
        alerts
          ? html`<dl class="figures">
              <dt>${t('overdueCount')}</dt>
              <dd id="deadlines-overdue">${alerts.overdue}</dd>
              <dt>${t('dueSoonCount')}</dt>
              <dd id="deadlines-due-soon">${alerts.dueSoon}</dd>
              <dt>${t('pausedCount')}</dt>
              <dd id="deadlines-paused">${alerts.paused}</dd>
            </dl>`
          : nothing
      }
      ${dataTable(
        'deadline-alerts',
        ['district', 'service', 'registrationNumber', 'status', 'deadlines', 'dueAt'],
        alerts ? alerts.items : [],
        alertRow,
      )}

      <h3>${t('decreeDays')}</h3>
      <p class="hint">${t('decreeDaysHint')}</p>
      <form class="filters" @submit=${(event) => (event.preventDefault(), void loadCalendar())}>
        <label for="decree-year">${t('year')}</label>
        <input
          id="decree-year"
          type="number"
          min="2017"
          max="2100"
          .value=${String(state.year)}
          @input=${(e) => (state.year = Number(e.target.value))}
        />
        <button type="submit">${t('showYear')}</button>
      </form>
      ${
        canAdminister()
          ? html`<form
              id="decree-day-form"
              class="filters"
              @submit=${(event) => (event.preventDefault(), void enter())}
            >
              <label for="decree-date">${t('date')}</label>
              <input
                id="decree-date"
                type="date"
                required
                .value=${state.entry.date}
                @input=${(e) => (state.entry.date = e.target.value)}
              />
              <label for="decree-kind">${t('kind')}</label>
              <select id="decree-kind" @change=${(e) => (state.entry.kind = e.target.value)}>
                ${['day_off', 'working_day'].map(
                  (kind) =>
                    html`<option value=${kind} ?selected=${state.entry.kind === kind}>
                      ${tg('decreeKinds', kind)}
                    </option>`,
                )}
              </select>
              <label for="decree-reference">${t('decreeReference')}</label>
              <input
                id="decree-reference"
                required
                .value=${state.entry.decreeReference}
                @input=${(e) => (state.entry.decreeReference = e.target.value)}
              />
              <label for="decree-note">${t('note')}</label>
              <input id="decree-note" .value=${state.entry.note} @input=${(e) => (state.entry.note = e.target.value)} />
              <button type="submit">${t('enterDecreeDay')}</button>
            </form>`
          : nothing
      }
      <p role="status" id="decree-status">${state.status}</p>
      <p role="alert" class="error" id="decree-error">${state.error}</p>
      ${dataTable('decree-days', ['date', 'kind', 'decreeReference', 'who', 'action'], state.decreeDays, decreeRow)}

      <h3>${t('calendarAudit')}</h3>
      ${dataTable('calendar-audit', ['when', 'who', 'action', 'date', 'decreeReference'], state.audit, auditRow)}`,
    section,
  );
}

async function loadAlerts() {
  const answer = await api('GET', '/operator/v1/deadline-alerts');
  if (answer.status === 200) state.alerts = answer.data;
}

async function loadCalendar() {
  const [days, audit] = await Promise.all([
    api('GET', `/operator/v1/calendar/decree-days?year=${state.year}`),
    api('GET', '/operator/v1/calendar/audit'),
  ]);
  if (days.status === 200) state.decreeDays = days.data;
  else state.error = problemText(days, t);
  if (audit.status === 200) state.audit = audit.data;
  draw();
}

/** Shows the outcome of a change (how many due times moved, or the problem) and reloads. */
async function changed(answer, expected) {
  if (answer.status !== expected) {
    state.error = problemText(answer, t);
    state.status = '';
    draw();
    return false;
  }
  state.error = '';
  state.status = t('recomputed').replace('{count}', String(answer.data.recomputedApplications));
  await Promise.all([loadAlerts(), loadCalendar()]);
  return true;
}

async function enter() {
  const { date, kind, decreeReference, note } = state.entry;
  const body = { date, kind, decreeReference, ...(note.trim() ? { note: note.trim() } : {}) };
  const answer = await api('POST', '/operator/v1/calendar/decree-days', body);
  if (answer.status === 201) state.entry = { date: '', kind: 'day_off', decreeReference: '', note: '' };
  await changed(answer, 201);
}

async function remove(decreeDay) {
  const reason = (state.reasons[decreeDay.id] ?? '').trim();
  if (!(await confirmAction(`${t('deleteDecreeDay')} ${day(decreeDay.date)} — ${t('deletionReason')}: ${reason}`)))
    return;
  const answer = await api('DELETE', `/operator/v1/calendar/decree-days/${decreeDay.id}`, { reason });
  if (await changed(answer, 200)) delete state.reasons[decreeDay.id];
}

onLive('deadlines', (alerts) => {
  state.alerts = alerts;
  if (currentView()?.name === 'deadlines') draw();
});

registerView({
  name: 'deadlines',
  heading: 'deadlines-title',
  nav: true,
  mount(s) {
    section = s;
    section.setAttribute('aria-labelledby', 'deadlines-title');
    draw();
  },
  async show() {
    state.status = '';
    state.error = '';
    await Promise.all([loadAlerts(), loadCalendar()]);
  },
  translate() {
    if (currentView() === this) draw();
  },
});
