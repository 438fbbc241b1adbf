// Finding an application (#applications/district=serdika) and its whole story on one page
// (#application/<id>): timeline, documents, payments, deliveries and the exchange log; an operator
// replaces a result e-delivery refused, or records the handover of one collected at the desk.
import { html, nothing, render } from '../vendor/lit-html/lit-html.js';
import { canOperate, problemText, session } from '../core/api.js';
import { confirmAction } from '../core/dom.js';
import { addStrings, fill, money, name, statusName, t, when } from '../core/i18n.js';
import { currentView, registerView, show } from '../core/router.js';
import { rollout } from '../core/rollout.js';

addStrings({
  bg: {
    applications: 'Заявления',
    findApplication: 'Търсене на заявление',
    findHint: 'По входящ номер, по номер от портала (ORN), по район и по състояние; критериите се съчетават.',
    registrationNumber: 'Входящ номер',
    portalReference: 'Номер от портала (ORN)',
    anyDistrict: 'Всички райони',
    anyStatus: 'Всички състояния',
    search: 'Търси',
    moreResults: 'Още',
    submitted: 'Подадено',
    application: 'Заявление',
    applicant: 'Заявител',
    deliveryChannel: 'Получаване',
    dueAt: 'Срок',
    timeline: 'Ход на заявлението',
    documents: 'Документи',
    payments: 'Плащания',
    statusReports: 'Съобщения от системата за плащане',
    deliveries: 'Доставки',
    exchanges: 'Обмен през шлюза',
    unavailable: 'Не е налично в момента: {parts}',
    blockedResult: 'Резултатът е спрян от е-връчване: {reason}',
    replaceResult: 'Качване на нов резултат вместо спрения',
    resultFile: 'Документ (PDF)',
    upload: 'Качи',
    superseded: 'заменен',
    handover: 'Предаване на гише',
    handedOver: 'Предадено на {name} от {by}, {at}',
    recipientName: 'Получател (име)',
    recipientIdType: 'Вид идентификатор на получателя',
    recipientId: 'Идентификатор на получателя (по желание)',
    noIdentifier: 'без идентификатор',
    recordHandover: 'Отбележи предаването',
    kind: 'Вид',
    file: 'Файл',
    amount: 'Сума',
    attempt: 'Опит',
    source: 'Източник',
    applied: 'Приложено',
    yes: 'да',
    no: 'не',
    operation: 'Операция',
    exchangeOutcome: 'Изход',
    reasonOrDetails: 'Причини и подробности',
    statuses: { result_blocked: 'спрян резултат', handed_over: 'предадено на гише' },
  },
  en: {
    applications: 'Applications',
    findApplication: 'Find an application',
    findHint: 'By registration number, portal reference (ORN), district and status; the criteria combine.',
    registrationNumber: 'Registration number',
    portalReference: 'Portal reference (ORN)',
    anyDistrict: 'All districts',
    anyStatus: 'Any status',
    search: 'Search',
    moreResults: 'More',
    submitted: 'Submitted',
    application: 'Application',
    applicant: 'Applicant',
    deliveryChannel: 'Delivery',
    dueAt: 'Due',
    timeline: 'Timeline',
    documents: 'Documents',
    payments: 'Payments',
    statusReports: 'Reports from the payment system',
    deliveries: 'Deliveries',
    exchanges: 'Exchanges through the gateway',
    unavailable: 'Not available at the moment: {parts}',
    blockedResult: 'E-delivery stopped the result: {reason}',
    replaceResult: 'Upload a new result in place of the stopped one',
    resultFile: 'Document (PDF)',
    upload: 'Upload',
    superseded: 'replaced',
    handover: 'Handover at the desk',
    handedOver: 'Handed over to {name} by {by}, {at}',
    recipientName: 'Recipient (name)',
    recipientIdType: 'Recipient’s identifier type',
    recipientId: 'Recipient’s identifier (optional)',
    noIdentifier: 'no identifier',
    recordHandover: 'Record the handover',
    kind: 'Kind',
    file: 'File',
    amount: 'Amount',
    attempt: 'Attempt',
    source: 'Source',
    applied: 'Applied',
    yes: 'yes',
    no: 'no',
    operation: 'Operation',
    exchangeOutcome: 'Outcome',
    reasonOrDetails: 'Reasons and details',
    statuses: { result_blocked: 'result blocked', handed_over: 'handed over at the desk' },
  },
});

const statuses = [
  'received',
  'routed',
  'registered',
  'returned_for_corrections',
  'awaiting_payment',
  'paid',
  'expired_unpaid',
  'in_progress',
  'result_ready',
  'result_blocked',
  'delivered',
  'awaiting_collection',
  'handed_over',
  'refused',
  'withdrawn',
];

/** A call with the session cookie; answers { status, data, etag }. */
async function call(method, path, { json, form, ifMatch } = {}) {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    headers: {
      ...(json ? { 'Content-Type': 'application/json' } : {}),
      ...(ifMatch !== undefined ? { 'If-Match': `"${ifMatch}"` } : {}),
    },
    body: form ?? (json ? JSON.stringify(json) : undefined),
  });
  const data = await response.json().catch(() => null);
  if (response.status === 401) session.onSignedOut();
  return { status: response.status, data };
}

// ---- the search -------------------------------------------------------------------------------

let searchSection;
const search = { registrationNumber: '', portalApplicationId: '', district: '', status: '' };
const found = { items: [], nextCursor: null, error: '', searched: false };

function queryOf(cursor) {
  const query = new URLSearchParams({ limit: '20' });
  for (const [key, value] of Object.entries(search)) if (value) query.set(key, value);
  if (cursor) query.set('cursor', cursor);
  return query;
}

async function find(more) {
  const answer = await call('GET', `/operator/v1/applications?${queryOf(more ? found.nextCursor : null)}`);
  found.searched = true;
  if (answer.status !== 200) {
    found.error = problemText(answer, t);
  } else {
    found.error = '';
    found.items = more ? [...found.items, ...answer.data.items] : answer.data.items;
    found.nextCursor = answer.data.nextCursor;
  }
  drawSearch();
}

const districtName = (code) => {
  const tile = rollout.board.find((d) => d.code === code);
  return tile ? name(tile) : code;
};

const foundRow = (item) =>
  html`<tr data-application=${item.id}>
    <td><a href=${`#application/${item.id}`}>${item.registrationNumber ?? '—'}</a></td>
    <td>${item.portalApplicationId}</td>
    <td>${districtName(item.districtCode)}</td>
    <td>${item.serviceNumber} ${item.serviceName}</td>
    <td data-status=${item.status}>${statusName(item.status)}</td>
    <td>${when(item.submittedAt)}</td>
  </tr>`;

function drawSearch() {
  const input = (key) => (event) => (search[key] = event.target.value.trim());
  render(
    html`<h2 id="applications-title" tabindex="-1">${t('findApplication')}</h2>
      <p class="hint">${t('findHint')}</p>
      <form class="filters" @submit=${(event) => (event.preventDefault(), void find(false))}>
        <label for="find-registration">${t('registrationNumber')}</label>
        <input id="find-registration" .value=${search.registrationNumber} @input=${input('registrationNumber')} />
        <label for="find-reference">${t('portalReference')}</label>
        <input id="find-reference" .value=${search.portalApplicationId} @input=${input('portalApplicationId')} />
        <label for="find-district">${t('district')}</label>
        <select id="find-district" @change=${input('district')}>
          <option value="" ?selected=${!search.district}>${t('anyDistrict')}</option>
          ${rollout.board.map(
            (d) => html`<option value=${d.code} ?selected=${search.district === d.code}>${name(d)}</option>`,
          )}
        </select>
        <label for="find-status">${t('status')}</label>
        <select id="find-status" @change=${input('status')}>
          <option value="" ?selected=${!search.status}>${t('anyStatus')}</option>
          ${statuses.map((s) => html`<option value=${s} ?selected=${search.status === s}>${statusName(s)}</option>`)}
        </select>
        <button type="submit" id="find-submit">${t('search')}</button>
      </form>
      <p role="alert" class="error">${found.error}</p>
      ${
        found.searched
          ? html`<table id="found">
              <thead>
                <tr>
                  <th scope="col">${t('registrationNumber')}</th>
                  <th scope="col">${t('portalReference')}</th>
                  <th scope="col">${t('district')}</th>
                  <th scope="col">${t('service')}</th>
                  <th scope="col">${t('status')}</th>
                  <th scope="col">${t('submitted')}</th>
                </tr>
              </thead>
              <tbody>
                ${
                  found.items.length
                    ? found.items.map(foundRow)
                    : html`<tr>
                        <td colspan="6">${t('none')}</td>
                      </tr>`
                }
              </tbody>
            </table>`
          : nothing
      }
      ${
        found.nextCursor
          ? html`<button type="button" id="find-more" @click=${() => void find(true)}>${t('moreResults')}</button>`
          : nothing
      }`,
    searchSection,
  );
}

registerView({
  name: 'applications',
  heading: 'applications-title',
  nav: true,
  mount(section) {
    searchSection = section;
    section.setAttribute('aria-labelledby', 'applications-title');
    drawSearch();
  },
  // Parameters as key=value (#applications/district=serdika, from a district's page).
  async show(params) {
    const given = Object.fromEntries(params.map((param) => param.split('=')).filter(([key]) => key in search));
    if (Object.keys(given).length > 0) {
      Object.assign(search, { registrationNumber: '', portalApplicationId: '', district: '', status: '' }, given);
      await find(false);
      return;
    }
    drawSearch();
  },
  translate() {
    if (currentView() === this) drawSearch();
  },
});

// ---- one application --------------------------------------------------------------------------

let caseSection;
const page = {
  id: null,
  story: null,
  error: '',
  result: '',
  handover: { name: '', identifierType: 'EGN', identifier: '' },
};

async function load(id) {
  page.id = id;
  const answer = await call('GET', `/operator/v1/applications/${encodeURIComponent(id)}`);
  page.story = answer.status === 200 ? answer.data : null;
  page.error = answer.status === 200 ? '' : problemText(answer, t);
  drawCase();
}

async function replaceResult(event) {
  event.preventDefault();
  const input = caseSection.querySelector('#replacement-file');
  const file = input.files[0];
  if (!file) return input.reportValidity();
  const application = page.story.application;
  if (!(await confirmAction(`${t('replaceResult')}: ${file.name}`))) return input.focus();
  // The gateway checks the declared SHA-256 against the file as it arrives.
  const digest = await window.crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  const sha256 = [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  const form = new FormData();
  const metadata = { fileName: file.name, mediaType: file.type || 'application/pdf', sha256, kind: 'result' };
  form.append('metadata', JSON.stringify(metadata));
  form.append('document', file, file.name);
  const answer = await call('POST', `/operator/v1/applications/${application.id}/result`, {
    form,
    ifMatch: application.version,
  });
  page.result = answer.status === 200 ? t('done') : problemText(answer, t);
  await load(application.id);
}

async function recordHandover(event) {
  event.preventDefault();
  const application = page.story.application;
  const recipient = { name: page.handover.name.trim() };
  if (!recipient.name) return caseSection.querySelector('#handover-name').reportValidity();
  if (page.handover.identifier.trim()) {
    recipient.identifierType = page.handover.identifierType;
    recipient.identifier = page.handover.identifier.trim();
  }
  if (!(await confirmAction(`${t('recordHandover')}: ${recipient.name}`))) return;
  const answer = await call('POST', `/operator/v1/applications/${application.id}/handover`, {
    json: { recipient },
    ifMatch: application.version,
  });
  page.result = answer.status === 200 ? t('done') : problemText(answer, t);
  if (answer.status === 200) page.handover = { name: '', identifierType: 'EGN', identifier: '' };
  await load(application.id);
}

const table = (id, headers, rows) =>
  html`<table id=${id}>
    <thead>
      <tr>
        ${headers.map((header) => html`<th scope="col">${header}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${
        rows.length
          ? rows
          : html`<tr>
              <td colspan=${headers.length}>${t('none')}</td>
            </tr>`
      }
    </tbody>
  </table>`;

const reasonsOf = (entry) =>
  [
    ...(entry.reasons ?? []).map((reason) => (reason.code ? `${reason.message} (${reason.code})` : reason.message)),
    ...Object.entries(entry.details ?? {}).map(([key, value]) => `${key}: ${value}`),
  ].join(' · ');

function blockedReason(application) {
  const entry = [...application.timeline].reverse().find((e) => e.toStatus === 'result_blocked');
  return entry ? reasonsOf({ reasons: entry.reasons }) : '';
}

function actions(application) {
  if (!canOperate()) return nothing;
  if (application.status === 'result_blocked') {
    return html`<form id="replace-result" @submit=${replaceResult}>
      <h3>${t('replaceResult')}</h3>
      <label for="replacement-file">${t('resultFile')}</label>
      <input id="replacement-file" type="file" required accept="application/pdf,application/xml,image/png,image/jpeg" />
      <button type="submit" id="replacement-submit">${t('upload')}</button>
    </form>`;
  }
  if (application.status === 'awaiting_collection') {
    const set = (key) => (event) => (page.handover[key] = event.target.value);
    return html`<form id="handover-form" @submit=${recordHandover}>
      <h3>${t('handover')}</h3>
      <label for="handover-name">${t('recipientName')}</label>
      <input id="handover-name" required maxlength="200" .value=${page.handover.name} @input=${set('name')} />
      <label for="handover-id-type">${t('recipientIdType')}</label>
      <select id="handover-id-type" @change=${set('identifierType')}>
        ${['EGN', 'LNCH', 'EIK'].map(
          (type) => html`<option value=${type} ?selected=${page.handover.identifierType === type}>${type}</option>`,
        )}
      </select>
      <label for="handover-id">${t('recipientId')}</label>
      <input
        id="handover-id"
        inputmode="numeric"
        autocomplete="off"
        .value=${page.handover.identifier}
        @input=${set('identifier')}
      />
      <button type="submit" id="handover-submit">${t('recordHandover')}</button>
    </form>`;
  }
  return nothing;
}

function drawCase() {
  const story = page.story;
  const application = story?.application;
  render(
    html`<button type="button" id="to-search" @click=${() => void show('applications')}>
        ← ${t('findApplication')}
      </button>
      <h2 id="application-title" tabindex="-1">
        ${t('application')} ${application ? (application.registrationNumber ?? application.portalApplicationId) : ''}
      </h2>
      <p role="alert" class="error">${page.error}</p>
      ${
        application
          ? html`<dl id="application-facts" data-status=${application.status}>
                <dt>${t('status')}</dt>
                <dd id="application-status" data-status=${application.status}>${statusName(application.status)}</dd>
                <dt>${t('portalReference')}</dt>
                <dd>${application.portalApplicationId}</dd>
                <dt>${t('district')}</dt>
                <dd>${districtName(application.districtCode)}</dd>
                <dt>${t('service')}</dt>
                <dd>${application.serviceNumber} ${application.serviceName}</dd>
                <dt>${t('applicant')}</dt>
                <dd>${application.applicant.name} (${application.applicant.identifier})</dd>
                <dt>${t('deliveryChannel')}</dt>
                <dd>${application.deliveryChannel}</dd>
                <dt>${t('dueAt')}</dt>
                <dd>${when(application.dueAt)}</dd>
              </dl>
              ${
                application.status === 'result_blocked'
                  ? html`<p id="blocked-reason" class="warning">
                      ${fill(t('blockedResult'), { reason: blockedReason(application) })}
                    </p>`
                  : nothing
              }
              ${
                application.handover
                  ? html`<p id="handover-record">
                      ${fill(t('handedOver'), {
                        name: application.handover.recipient.identifier
                          ? `${application.handover.recipient.name} (${application.handover.recipient.identifier})`
                          : application.handover.recipient.name,
                        by: application.handover.handedOverBy,
                        at: when(application.handover.handedOverAt),
                      })}
                    </p>`
                  : nothing
              }
              ${actions(application)}
              <p role="status" id="application-result">${page.result}</p>
              ${
                story.unavailable.length
                  ? html`<p class="warning">
                      ${fill(t('unavailable'), { parts: story.unavailable.map((part) => t(part)).join(', ') })}
                    </p>`
                  : nothing
              }
              <h3>${t('timeline')}</h3>
              ${table(
                'application-timeline',
                [t('when'), t('status'), t('who'), t('reasonOrDetails')],
                application.timeline.map(
                  (entry) =>
                    html`<tr data-status=${entry.toStatus}>
                      <td>${when(entry.occurredAt)}</td>
                      <td>${statusName(entry.toStatus)}</td>
                      <td>${entry.actor.kind}: ${entry.actor.id}</td>
                      <td>${reasonsOf(entry)}</td>
                    </tr>`,
                ),
              )}
              <h3>${t('documents')}</h3>
              ${table(
                'application-documents',
                [t('file'), t('kind'), t('when'), t('status')],
                application.documents.map(
                  (document) =>
                    html`<tr data-document=${document.id}>
                      <td>${document.fileName}</td>
                      <td>${document.kind}</td>
                      <td>${when(document.createdAt)}</td>
                      <td>${document.supersededAt ? `${t('superseded')} ${when(document.supersededAt)}` : ''}</td>
                    </tr>`,
                ),
              )}
              <h3>${t('payments')}</h3>
              ${table(
                'application-payments',
                [t('attempt'), t('amount'), t('status'), t('when')],
                (story.payments?.requests ?? []).map(
                  (request) =>
                    html`<tr data-payment=${request.id}>
                      <td>${request.attempt}</td>
                      <td>${money(request)}</td>
                      <td>${request.status}</td>
                      <td>${when(request.statusChangedAt ?? request.createdAt)}</td>
                    </tr>`,
                ),
              )}
              <h4>${t('statusReports')}</h4>
              ${table(
                'application-payment-reports',
                [t('when'), t('source'), t('status'), t('applied')],
                (story.payments?.statusReports ?? []).map(
                  (report) =>
                    html`<tr>
                      <td>${when(report.receivedAt)}</td>
                      <td>${report.source}</td>
                      <td>${report.reportedStatus}</td>
                      <td>${report.applied ? t('yes') : t('no')}</td>
                    </tr>`,
                ),
              )}
              <h3>${t('deliveries')}</h3>
              ${table(
                'application-deliveries',
                [t('kind'), t('status'), t('why'), 'NRO', 'NRD', t('documents')],
                (story.deliveries ?? []).map(
                  (delivery) =>
                    html`<tr data-delivery=${delivery.id} data-status=${delivery.status}>
                      <td>${delivery.noticeKind}</td>
                      <td>${delivery.status}</td>
                      <td>${delivery.reason ? `${delivery.reason.message} (${delivery.reason.code ?? ''})` : ''}</td>
                      <td>${when(delivery.nroAt)}</td>
                      <td>${when(delivery.nrdAt)}</td>
                      <td>
                        ${delivery.documents
                          .map((d) => `${d.fileName ?? d.documentId}${d.blocked ? ` — ${d.blockedReason}` : ''}`)
                          .join('; ')}
                      </td>
                    </tr>`,
                ),
              )}
              <h3>${t('exchanges')}</h3>
              ${table(
                'application-exchanges',
                [t('when'), t('who'), t('operation'), t('exchangeOutcome')],
                story.exchanges.map(
                  (exchange) =>
                    html`<tr>
                      <td>${when(exchange.occurredAt)}</td>
                      <td>${exchange.party}</td>
                      <td><code>${exchange.operation}</code></td>
                      <td>${exchange.outcome}${exchange.detail ? ` · ${exchange.detail}` : ''}</td>
                    </tr>`,
                ),
              )}`
          : nothing
      }`,
    caseSection,
  );
}

registerView({
  name: 'application',
  heading: 'application-title',
  nav: 'applications',
  mount(section) {
    caseSection = section;
    section.setAttribute('aria-labelledby', 'application-title');
  },
  async show([id]) {
    if (id !== page.id) page.result = '';
    await load(id ?? '');
  },
  hide() {
    page.id = null;
  },
  translate() {
    if (currentView() === this && page.story) drawCase();
  },
});
