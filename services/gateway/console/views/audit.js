// The audit: every change made through the operator API, by whom, refused ones too.
import { html, nothing, render } from '../vendor/lit-html/lit-html.js';
import { api, problemText } from '../core/api.js';
import { addStrings, name, t, tg, when } from '../core/i18n.js';
import { currentView, registerView } from '../core/router.js';
import { rollout } from '../core/rollout.js';

addStrings({
  bg: {
    audit: 'Одит',
    auditHint: 'Всяка промяна през операторския интерфейс, включително отказаните.',
    operatorName: 'Оператор',
    allDistricts: 'Всички райони',
    filter: 'Покажи',
    more: 'Още',
    outcome: 'Изход',
    request: 'Заявка',
    refused: 'отказано',
  },
  en: {
    audit: 'Audit',
    auditHint: 'Every change made through the operator API, refused ones included.',
    operatorName: 'Operator',
    allDistricts: 'All districts',
    filter: 'Show',
    more: 'More',
    outcome: 'Outcome',
    request: 'Request',
    refused: 'refused',
  },
});

let section;
const state = { operator: '', districtCode: '', items: [], nextBefore: null, error: '' };

/** The reason first (what an auditor looks for), then the rest of the request in one line. */
function describeRequest(request) {
  if (!request || typeof request !== 'object') return request ?? '';
  const { reason, ...rest } = request;
  const others = Object.keys(rest).length ? JSON.stringify(rest) : '';
  return [reason, others].filter(Boolean).join(' · ');
}

const row = (item) =>
  html`<tr data-audit-id=${item.id}>
    <td>${when(item.at)}</td>
    <td>${item.operator} (${tg('roles', item.role)})</td>
    <td><code>${item.method} ${item.path}</code></td>
    <td>${item.districtCode ?? ''}</td>
    <td data-status=${item.status}>
      ${item.status < 400 ? t('done') : `${t('refused')} ${item.status} ${item.problemCode ?? ''}`}
    </td>
    <td>${describeRequest(item.request)}</td>
  </tr>`;

function draw() {
  render(
    html`<h2 id="audit-title" tabindex="-1">${t('audit')}</h2>
      <p class="hint">${t('auditHint')}</p>
      <form class="filters" @submit=${(event) => (event.preventDefault(), void load(false))}>
        <label for="audit-operator">${t('operatorName')}</label>
        <input id="audit-operator" .value=${state.operator} @input=${(e) => (state.operator = e.target.value.trim())} />
        <label for="audit-district">${t('district')}</label>
        <select id="audit-district" @change=${(e) => (state.districtCode = e.target.value)}>
          <option value="" ?selected=${state.districtCode === ''}>${t('allDistricts')}</option>
          ${rollout.board.map(
            (d) => html`<option value=${d.code} ?selected=${state.districtCode === d.code}>${name(d)}</option>`,
          )}
        </select>
        <button type="submit">${t('filter')}</button>
      </form>
      <p role="alert" class="error">${state.error}</p>
      <table id="audit-table">
        <thead>
          <tr>
            <th scope="col">${t('when')}</th>
            <th scope="col">${t('who')}</th>
            <th scope="col">${t('what')}</th>
            <th scope="col">${t('district')}</th>
            <th scope="col">${t('outcome')}</th>
            <th scope="col">${t('request')}</th>
          </tr>
        </thead>
        <tbody>
          ${
            state.items.length
              ? state.items.map(row)
              : html`<tr>
                  <td colspan="6">${t('none')}</td>
                </tr>`
          }
        </tbody>
      </table>
      ${state.nextBefore ? html`<button type="button" id="audit-more" @click=${() => void load(true)}>${t('more')}</button>` : nothing}`,
    section,
  );
}

async function load(more) {
  const query = new URLSearchParams({ limit: '50' });
  if (state.operator) query.set('operator', state.operator);
  if (state.districtCode) query.set('districtCode', state.districtCode);
  if (more && state.nextBefore) query.set('before', String(state.nextBefore));
  const answer = await api('GET', `/operator/v1/audit?${query}`);
  if (answer.status !== 200) {
    state.error = problemText(answer, t);
  } else {
    state.error = '';
    state.items = more ? [...state.items, ...answer.data.items] : answer.data.items;
    state.nextBefore = answer.data.nextBefore;
  }
  draw();
}

registerView({
  name: 'audit',
  heading: 'audit-title',
  nav: true,
  mount(s) {
    section = s;
    section.setAttribute('aria-labelledby', 'audit-title');
    draw();
  },
  async show([districtCode]) {
    if (districtCode !== undefined) state.districtCode = districtCode;
    await load(false);
  },
  translate() {
    if (currentView() === this) draw();
  },
});
