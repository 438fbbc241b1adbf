// A service's fees: the catalogue's facts with their sources and what the service still lacks,
// the fee in force, changes scheduled for later and the history; administrators schedule a change
// from a date and cancel one not yet in effect.
import { html, nothing, render } from '../vendor/lit-html/lit-html.js';
import { api, canAdminister, problemText } from '../core/api.js';
import { announce, confirmAction } from '../core/dom.js';
import { addStrings, day, fill, money, name, t, tg, when } from '../core/i18n.js';
import { currentView, registerView, show } from '../core/router.js';
import { rollout } from '../core/rollout.js';

addStrings({
  bg: {
    fees: 'Такси',
    feesHint:
      'Фактите от каталога идват с източника си; неизвестна такса не е безплатна и услугата не може да се включи.',
    feeService: 'Номер на услугата (ИИСДА)',
    feeShow: 'Покажи',
    feeNumber: 'Номер',
    feePlaceholder: 'временен номер — няма източник за номера в ИИСДА',
    feeGaps: 'Липсва за включване',
    feeCatalogue: 'Каталог',
    feeUrgency: 'Вид услуга',
    feeTerm: 'Срок',
    feeSources: 'Източници',
    feeInForce: 'В сила сега',
    feeScheduled: 'Насрочени промени',
    feeHistory: 'История на таксите',
    feeDistrict: 'Район',
    feeAllDistricts: 'всички райони',
    feeAmount: 'Такса',
    feeFrom: 'В сила от',
    feeMade: 'Въведена',
    feeCancelled: 'Отменена',
    feeSchedule: 'Насрочване на промяна',
    feeAmountInput: 'Нова такса',
    feeCurrency: 'Валута',
    feeEffective: 'В сила от (дата, 00:00 ч. софийско време)',
    feeScheduleSubmit: 'Насрочи',
    feeCancel: 'Отмени',
    feeCancelReason: 'Причина за отмяна',
    feeCancelReasonRequired: 'Посочете причина за отмяната (поне 3 знака).',
    feeCancelConfirm: 'Да се отмени ли насрочената промяна на {amount} от {from}?',
    feeScheduledDone: 'Промяната е насрочена от {from}.',
    feeCancelledDone: 'Насрочената промяна е отменена.',
    feeAdminOnly: 'Таксите се променят само от администратор.',
    feeUnknown: 'неизвестна',
    feeFree: 'безплатна',
    urgencies: { regular: 'обикновена', fast: 'бърза', express: 'експресна' },
    gaps: {
      placeholder_service_number: 'номер в ИИСДА',
      no_urgency: 'вид услуга',
      term_unknown: 'срок',
      fee_unknown: 'такса',
    },
  },
  en: {
    fees: 'Fees',
    feesHint: 'Catalogue facts come with their source; an unknown fee is not free and the service cannot be enabled.',
    feeService: 'Service number (IISDA)',
    feeShow: 'Show',
    feeNumber: 'Number',
    feePlaceholder: 'placeholder — no source for an IISDA number',
    feeGaps: 'Missing before it can be enabled',
    feeCatalogue: 'Catalogue',
    feeUrgency: 'Urgency',
    feeTerm: 'Term',
    feeSources: 'Sources',
    feeInForce: 'In force now',
    feeScheduled: 'Scheduled changes',
    feeHistory: 'Fee history',
    feeDistrict: 'District',
    feeAllDistricts: 'all districts',
    feeAmount: 'Fee',
    feeFrom: 'In force from',
    feeMade: 'Made',
    feeCancelled: 'Cancelled',
    feeSchedule: 'Schedule a change',
    feeAmountInput: 'New fee',
    feeCurrency: 'Currency',
    feeEffective: 'In force from (date, 00:00 Sofia time)',
    feeScheduleSubmit: 'Schedule',
    feeCancel: 'Cancel',
    feeCancelReason: 'Reason for cancelling',
    feeCancelReasonRequired: 'Give a reason for cancelling (at least 3 characters).',
    feeCancelConfirm: 'Cancel the scheduled change to {amount} from {from}?',
    feeScheduledDone: 'The change is scheduled from {from}.',
    feeCancelledDone: 'The scheduled change is cancelled.',
    feeAdminOnly: 'Only an administrator changes fees.',
    feeUnknown: 'unknown',
    feeFree: 'free',
    urgencies: { regular: 'regular', fast: 'fast', express: 'express' },
    gaps: {
      placeholder_service_number: 'IISDA number',
      no_urgency: 'urgency',
      term_unknown: 'term',
      fee_unknown: 'fee',
    },
  },
});

let section;
const state = { serviceNumber: '', fees: null, problem: '', result: '' };

const districtName = (code) => {
  if (code === '*') return t('feeAllDistricts');
  const tile = rollout.board.find((district) => district.code === code);
  return tile ? name(tile) : code;
};
const amount = (change) => money({ amountMinor: change.amountMinor, currency: change.currency });
const sources = (urls) =>
  urls.length === 0
    ? '—'
    : urls.map(
        (url, index) => html`${index > 0 ? ', ' : ''}<a href=${url} rel="noreferrer noopener">${hostOf(url)}</a>`,
      );
const hostOf = (url) => url.replace(/^https?:\/\/([^/?#]+).*$/, '$1');
const catalogueFee = (urgency) => {
  if (urgency.feeEurMinor === null) return t('feeUnknown');
  if (urgency.feeEurMinor === 0) return t('feeFree');
  return `${money({ amountMinor: urgency.feeEurMinor, currency: 'EUR' })} (${urgency.feeBgn} лв.)`;
};

const changesTable = (id, changes, withCancel) => html`
  <table id=${id}>
    <thead>
      <tr>
        <th scope="col">${t('feeUrgency')}</th>
        <th scope="col">${t('feeDistrict')}</th>
        <th scope="col">${t('feeAmount')}</th>
        <th scope="col">${t('feeFrom')}</th>
        <th scope="col">${t('who')}</th>
        <th scope="col">${t('why')}</th>
        ${withCancel === 'history' ? html`<th scope="col">${t('feeCancelled')}</th>` : nothing}
        ${withCancel === true ? html`<th scope="col"><span class="visually-hidden">${t('actions')}</span></th>` : nothing}
      </tr>
    </thead>
    <tbody>
      ${
        changes.length === 0
          ? html`<tr>
              <td colspan="8">${t('none')}</td>
            </tr>`
          : changes.map(
              (change) =>
                html`<tr data-change=${change.id}>
                  <td>${tg('urgencies', change.urgency)}</td>
                  <td>${districtName(change.districtCode)}</td>
                  <td data-amount=${change.amountMinor}>${amount(change)}</td>
                  <td>${when(change.effectiveFrom)}</td>
                  <td>${change.changedBy}</td>
                  <td>${change.reason}</td>
                  ${
                    withCancel === 'history'
                      ? html`<td>
                          ${change.cancelledAt ? `${when(change.cancelledAt)}, ${change.cancelledBy}: ${change.cancelReason}` : ''}
                        </td>`
                      : nothing
                  }
                  ${
                    withCancel === true
                      ? html`<td>
                          <button
                            type="button"
                            aria-label=${`${t('feeCancel')}: ${tg('urgencies', change.urgency)}, ${amount(change)}`}
                            @click=${() => cancelChange(change)}
                          >
                            ${t('feeCancel')}
                          </button>
                        </td>`
                      : nothing
                  }
                </tr>`,
            )
      }
    </tbody>
  </table>
`;

const paidUrgencies = (fees) =>
  fees.catalogue.filter((urgency) => urgency.feeEurMinor !== null && urgency.feeEurMinor > 0);

const scheduleForm = (fees) => {
  if (!canAdminister()) return html`<p id="fee-admin-only">${t('feeAdminOnly')}</p>`;
  const urgencies = paidUrgencies(fees);
  if (urgencies.length === 0) return nothing;
  return html`
    <h3>${t('feeSchedule')}</h3>
    <form id="fee-schedule" @submit=${scheduleChange}>
      <label for="fee-urgency">${t('feeUrgency')}</label>
      <select id="fee-urgency">
        ${urgencies.map((urgency) => html`<option value=${urgency.urgency}>${tg('urgencies', urgency.urgency)}</option>`)}
      </select>
      <label for="fee-district">${t('feeDistrict')}</label>
      <select id="fee-district">
        <option value="*">${t('feeAllDistricts')}</option>
        ${rollout.board.map((district) => html`<option value=${district.code}>${name(district)}</option>`)}
      </select>
      <label for="fee-amount">${t('feeAmountInput')}</label>
      <input id="fee-amount" type="number" min="0.01" step="0.01" required />
      <label for="fee-currency">${t('feeCurrency')}</label>
      <select id="fee-currency">
        <option value="EUR">EUR</option>
        <option value="BGN">BGN</option>
      </select>
      <label for="fee-effective">${t('feeEffective')}</label>
      <input id="fee-effective" type="date" required />
      <label for="fee-reason">${t('reason')}</label>
      <input id="fee-reason" required minlength="3" />
      <button type="submit" id="fee-schedule-submit">${t('feeScheduleSubmit')}</button>
    </form>
  `;
};

const feesTemplate = (fees) => html`
  <h3 id="fee-service-name">${fees.serviceNumber} · ${name(fees)}</h3>
  <dl id="fee-facts">
    <dt>${t('feeNumber')}</dt>
    <dd data-figure="number" data-value=${fees.serviceNumber}>
      ${fees.serviceNumberIsPlaceholder ? `${fees.serviceNumber} (${t('feePlaceholder')})` : fees.serviceNumber}
      ${fees.serviceNumberSources.length ? html` — ${sources(fees.serviceNumberSources)}` : nothing}
    </dd>
    <dt>${t('feeGaps')}</dt>
    <dd data-figure="gaps" data-value=${fees.catalogueGaps.join(',')}>
      ${fees.catalogueGaps.length ? fees.catalogueGaps.map((gap) => tg('gaps', gap)).join(', ') : t('none')}
    </dd>
  </dl>
  <h3>${t('feeCatalogue')}</h3>
  <table id="fee-catalogue">
    <thead>
      <tr>
        <th scope="col">${t('feeUrgency')}</th>
        <th scope="col">${t('feeTerm')}</th>
        <th scope="col">${t('feeAmount')}</th>
        <th scope="col">${t('feeSources')}</th>
      </tr>
    </thead>
    <tbody>
      ${
        fees.catalogue.length === 0
          ? html`<tr>
              <td colspan="4">${t('none')}</td>
            </tr>`
          : fees.catalogue.map(
              (urgency) =>
                html`<tr data-urgency=${urgency.urgency}>
                  <td>${tg('urgencies', urgency.urgency)}</td>
                  <td>${urgency.deadlineText ?? t('feeUnknown')}</td>
                  <td>${catalogueFee(urgency)}</td>
                  <td>${sources(urgency.sources)}</td>
                </tr>`,
            )
      }
    </tbody>
  </table>
  <h3>${t('feeInForce')}</h3>
  ${changesTable('fee-in-force', fees.inForce, false)}
  <h3>${t('feeScheduled')}</h3>
  ${
    canAdminister() && fees.scheduled.length > 0
      ? html`<p>
          <label for="fee-cancel-reason">${t('feeCancelReason')}</label>
          <input id="fee-cancel-reason" minlength="3" />
        </p>`
      : nothing
  }
  ${changesTable('fee-scheduled', fees.scheduled, canAdminister())} ${scheduleForm(fees)}
  <h3>${t('feeHistory')}</h3>
  ${changesTable('fee-history', [...fees.history].reverse(), 'history')}
`;

const draw = () =>
  render(
    html`
      <h2 id="fees-title" tabindex="-1">${t('fees')}</h2>
      <p>${t('feesHint')}</p>
      <form id="fee-find" @submit=${find}>
        <label for="fee-service">${t('feeService')}</label>
        <input id="fee-service" type="number" min="1" max="999999" required .value=${String(state.serviceNumber)} />
        <button type="submit">${t('feeShow')}</button>
      </form>
      <p id="fee-problem" role="alert">${state.problem}</p>
      <p id="fee-result" role="status">${state.result}</p>
      ${state.fees ? feesTemplate(state.fees) : nothing}
    `,
    section,
  );

async function load(serviceNumber) {
  state.serviceNumber = serviceNumber;
  const answer = await api('GET', `/operator/v1/fees/${encodeURIComponent(serviceNumber)}`);
  state.fees = answer.status === 200 ? answer.data : null;
  state.problem = answer.status === 200 ? '' : problemText(answer, t);
  draw();
  if (state.fees) section.dataset.service = String(state.fees.serviceNumber);
  else delete section.dataset.service;
}

function find(event) {
  event.preventDefault();
  const number = document.getElementById('fee-service').value;
  state.result = '';
  void show('fees', [number], false).then(() => document.getElementById('fee-service-name')?.focus());
}

async function scheduleChange(event) {
  event.preventDefault();
  const $ = (id) => document.getElementById(id);
  const submit = $('fee-schedule-submit');
  submit.disabled = true;
  const answer = await api('POST', `/operator/v1/fees/${encodeURIComponent(state.fees.serviceNumber)}/changes`, {
    urgency: $('fee-urgency').value,
    districtCode: $('fee-district').value,
    amountMinor: Math.round(Number($('fee-amount').value) * 100),
    currency: $('fee-currency').value,
    effectiveFrom: $('fee-effective').value,
    reason: $('fee-reason').value,
  });
  submit.disabled = false;
  if (answer.status === 201) {
    $('fee-schedule').reset();
    await load(state.fees.serviceNumber);
    state.result = fill(t('feeScheduledDone'), { from: when(answer.data.effectiveFrom) });
    state.problem = '';
  } else {
    state.result = '';
    state.problem = problemText(answer, t);
  }
  draw();
  announce(state.result || state.problem);
}

async function cancelChange(change) {
  const reason = document.getElementById('fee-cancel-reason').value.trim();
  if (reason.length < 3) {
    state.result = '';
    state.problem = t('feeCancelReasonRequired');
    draw();
    document.getElementById('fee-cancel-reason').focus();
    return;
  }
  if (!(await confirmAction(fill(t('feeCancelConfirm'), { amount: amount(change), from: day(change.effectiveFrom) }))))
    return;
  const answer = await api('POST', `/operator/v1/fee-changes/${encodeURIComponent(change.id)}/cancel`, { reason });
  if (answer.status === 200) {
    await load(state.fees.serviceNumber);
    state.result = t('feeCancelledDone');
    state.problem = '';
  } else {
    state.result = '';
    state.problem = problemText(answer, t);
  }
  draw();
  announce(state.result || state.problem);
}

registerView({
  name: 'fees',
  heading: 'fees-title',
  nav: true,
  mount(s) {
    section = s;
    draw();
  },
  async show(params) {
    if (params[0]) await load(params[0]);
    else draw();
  },
  translate() {
    if (currentView() && currentView().name === 'fees') draw();
  },
});
