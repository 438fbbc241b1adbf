// Onboarding a district (#onboarding/<code>): its adapter profile, HMAC secret (set, never shown),
// bank details, e-delivery identity, a conformance run watched step by step, and each service's
// phase. Viewers read; operators start conformance runs; administrators change the rest.
import { html, nothing, render } from '../vendor/lit-html/lit-html.js';
import { api, canAdminister, canOperate, problemText } from '../core/api.js';
import { confirmAction } from '../core/dom.js';
import { addStrings, fill, name, phaseName, t, tg, when } from '../core/i18n.js';
import { currentView, registerView, show } from '../core/router.js';

addStrings({
  bg: {
    onboardingOf: 'Подготовка на район',
    adapterProfile: 'Адаптер към деловодната система',
    adapterStyle: 'Начин на свързване',
    endpoint: 'Адрес на деловодната система',
    profileVersion: 'Версия на профила',
    saveProfile: 'Запази профила',
    secret: 'Таен ключ (HMAC)',
    secretNotSet: 'Не е зададен',
    secretSet: 'Версия {version}, отпечатък {fingerprint}, зададен от {by} на {at}',
    newSecret: 'Нов таен ключ (поне 32 знака; не се показва отново)',
    setSecret: 'Задай ключа',
    bankDetails: 'Банкова сметка',
    iban: 'IBAN',
    bic: 'BIC',
    bankName: 'Банка',
    saveBank: 'Запази сметката',
    eDeliveryIdentity: 'Идентичност в ССЕВ',
    unitIdentifier: 'Идентификатор на звеното (БУЛСТАТ)',
    thumbprint: 'Отпечатък на сертификата (SHA-1)',
    signingKeyRef: 'Име на ключа',
    saveEDelivery: 'Запази идентичността',
    runConformance: 'Пусни проверка за съответствие',
    conformanceSteps: 'Стъпки на проверката',
    step: 'Стъпка',
    state: 'Състояние',
    started: 'Начало',
    finished: 'Край',
    servicePhases: 'Услуги по етапи',
    service: 'Услуга',
    gaps: 'Липсва в каталога',
    changeServicePhase: 'Смени етапа на услугата',
    stepStates: { pending: 'предстои', running: 'тече', passed: 'успешна', failed: 'неуспешна' },
    servicePhaseNames: { not_started: 'не е започнала', pilot: 'пилот', live: 'работи', suspended: 'спряна' },
    gapNames: {
      placeholder_service_number: 'няма номер в регистъра',
      no_urgency: 'няма срочност',
      term_unknown: 'неизвестен срок',
      fee_unknown: 'неизвестна такса',
    },
  },
  en: {
    onboardingOf: 'Onboarding',
    adapterProfile: 'Back-office adapter',
    adapterStyle: 'Adapter style',
    endpoint: 'Back-office endpoint',
    profileVersion: 'Profile version',
    saveProfile: 'Save the profile',
    secret: 'HMAC secret',
    secretNotSet: 'Not set',
    secretSet: 'Version {version}, fingerprint {fingerprint}, set by {by} at {at}',
    newSecret: 'New secret (32 characters or more; never shown again)',
    setSecret: 'Set the secret',
    bankDetails: 'Bank details',
    iban: 'IBAN',
    bic: 'BIC',
    bankName: 'Bank',
    saveBank: 'Save the bank details',
    eDeliveryIdentity: 'E-delivery identity',
    unitIdentifier: 'Unit identifier (BULSTAT)',
    thumbprint: 'Certificate thumbprint (SHA-1)',
    signingKeyRef: 'Signing key name',
    saveEDelivery: 'Save the identity',
    runConformance: 'Run the conformance suite',
    conformanceSteps: 'Conformance steps',
    step: 'Step',
    state: 'State',
    started: 'Started',
    finished: 'Finished',
    servicePhases: 'Services by phase',
    service: 'Service',
    gaps: 'Missing in the catalogue',
    changeServicePhase: 'Change the service’s phase',
    stepStates: { pending: 'pending', running: 'running', passed: 'passed', failed: 'failed' },
    servicePhaseNames: { not_started: 'not started', pilot: 'pilot', live: 'live', suspended: 'suspended' },
    gapNames: {
      placeholder_service_number: 'no register number',
      no_urgency: 'no urgency',
      term_unknown: 'term unknown',
      fee_unknown: 'fee unknown',
    },
  },
});

const servicePhases = ['not_started', 'pilot', 'live', 'suspended'];
let section;
let state = null; // { code, district, secret, runs, services, watching, result, error }

const value = (id) => document.getElementById(id).value.trim();
const base = () => `/operator/v1/districts/${encodeURIComponent(state.code)}`;

async function load(code) {
  const path = `/operator/v1/districts/${encodeURIComponent(code)}`;
  const [overview, secret, runs, services] = await Promise.all([
    api('GET', path),
    api('GET', `${path}/secret`),
    api('GET', `${path}/conformance-runs`),
    api('GET', `${path}/service-phases`),
  ]);
  if (overview.status !== 200) return false;
  state = {
    ...(state && state.code === code ? state : { result: '', error: '' }),
    code,
    district: overview.data.district,
    secret: secret.status === 200 ? secret.data : null,
    runs: runs.status === 200 ? runs.data : [],
    services: services.status === 200 ? services.data : [],
  };
  return true;
}

/** One change: confirmed, sent, its outcome announced (problems with their code), the page reloaded. */
async function change(method, path, body, what) {
  if (!body.reason || body.reason.length < 3) {
    state.error = t('reason');
    return draw();
  }
  if (!(await confirmAction(`${what} — ${t('reason')}: ${body.reason}`))) return;
  const answer = await api(method, path, body);
  const ok = answer.status === 200;
  state.result = ok ? `${what}: ${t('done')}` : '';
  state.error = ok ? '' : `${what}: ${problemText(answer, t)}`;
  await load(state.code);
  draw();
  return ok;
}

function saveProfile(event) {
  event.preventDefault();
  const endpoint = value('onb-endpoint');
  void change(
    'PATCH',
    `${base()}/profile`,
    { adapterStyle: value('onb-style'), endpoint: endpoint || null, reason: value('onb-profile-reason') },
    t('saveProfile'),
  );
}

async function setSecret(event) {
  event.preventDefault();
  const input = document.getElementById('onb-secret');
  const secret = input.value;
  // The secret leaves the page at once: never kept in the form after it is sent.
  input.value = '';
  await change('PUT', `${base()}/secret`, { secret, reason: value('onb-secret-reason') }, t('setSecret'));
}

function saveBank(event) {
  event.preventDefault();
  void change(
    'PUT',
    `${base()}/payee`,
    {
      bank: { iban: value('onb-iban'), bic: value('onb-bic'), bankName: value('onb-bank-name'), placeholder: false },
      reason: value('onb-bank-reason'),
    },
    t('saveBank'),
  );
}

function saveEDelivery(event) {
  event.preventDefault();
  void change(
    'PUT',
    `${base()}/e-delivery`,
    {
      unitIdentifier: value('onb-unit'),
      certificateThumbprint: value('onb-thumbprint') || null,
      signingKeyRef: value('onb-key-ref'),
      reason: value('onb-edelivery-reason'),
    },
    t('saveEDelivery'),
  );
}

/**
 * Starts a run and watches it: the answer comes when a push run has finished, so meanwhile the
 * newest run is read every half second and its steps drawn as they change.
 */
async function runConformance() {
  const code = state.code;
  state.watching = true;
  state.result = '';
  state.error = '';
  draw();
  const started = api('POST', `${base()}/conformance-runs`);
  let finished = false;
  void started.finally(() => (finished = true));
  while (!finished && state && state.code === code) {
    await new Promise((resolve) => window.setTimeout(resolve, 500));
    const runs = await api('GET', `${base()}/conformance-runs`);
    if (runs.status === 200 && state && state.code === code) {
      state.runs = runs.data;
      draw();
    }
  }
  const answer = await started;
  if (!state || state.code !== code) return;
  state.watching = false;
  state.result = answer.status === 201 ? `${t('conformance')}: ${t(answer.data.status)}` : '';
  state.error = answer.status === 201 ? '' : `${t('conformance')}: ${problemText(answer, t)}`;
  await load(code);
  draw();
}

function changeDistrictPhase(event) {
  event.preventDefault();
  const phase = value('onb-district-phase');
  void change(
    'POST',
    `${base()}/phase`,
    { phase, reason: value('onb-district-phase-reason') },
    `${t('changePhase')}: ${phaseName(phase)}`,
  );
}

function changeServicePhase(event) {
  event.preventDefault();
  const number = value('onb-service');
  const phase = value('onb-service-phase');
  void change(
    'PUT',
    `${base()}/service-phases/${encodeURIComponent(number)}`,
    { phase, reason: value('onb-service-reason') },
    `${t('changeServicePhase')}: ${number} → ${tg('servicePhaseNames', phase)}`,
  );
}

const reasonField = (id) => html`
  <label for=${id}>${t('reason')}</label>
  <input id=${id} required minlength="3" />
`;

function stepsTable(run) {
  return html`<table id="onb-steps" data-run=${run.id} data-status=${run.status}>
    <caption>
      ${t('conformanceSteps')} #${run.id} — ${t(run.status)}
    </caption>
    <thead>
      <tr>
        <th scope="col">${t('step')}</th>
        <th scope="col">${t('state')}</th>
        <th scope="col">${t('what')}</th>
        <th scope="col">${t('started')}</th>
        <th scope="col">${t('finished')}</th>
      </tr>
    </thead>
    <tbody>
      ${run.checks.map(
        (check) =>
          html`<tr data-step=${check.name} data-state=${check.state}>
            <td>${check.name}</td>
            <td>${tg('stepStates', check.state)}</td>
            <td>${check.detail}</td>
            <td>${check.startedAt ? when(check.startedAt) : '—'}</td>
            <td>${check.finishedAt ? when(check.finishedAt) : '—'}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function template() {
  if (!state) return html`<h2 id="onboarding-title" tabindex="-1">${t('onboardingOf')}</h2>`;
  const { district, secret, runs, services } = state;
  const admin = canAdminister();
  const latest = runs[0];
  const bank = district.bank;
  const identity = district.eDelivery || { unitIdentifier: '', certificateThumbprint: '', signingKeyRef: '' };
  return html`
    <button type="button" id="onb-back" @click=${() => void show('district', [state.code])}>${t('back')}</button>
    <h2 id="onboarding-title" tabindex="-1">${t('onboardingOf')}: ${district.no}. ${name(district)}</h2>
    <p>${t('phase')}: <span id="onb-phase" data-phase=${district.phase}>${phaseName(district.phase)}</span></p>
    ${
      admin
        ? html`<form id="onb-district-phase-form" @submit=${changeDistrictPhase}>
            <label for="onb-district-phase">${t('changePhase')}</label>
            <select id="onb-district-phase">
              ${['onboarding', 'pilot'].map((phase) => html`<option value=${phase}>${phaseName(phase)}</option>`)}
            </select>
            ${reasonField('onb-district-phase-reason')}
            <button type="submit">${t('apply')}</button>
          </form>`
        : nothing
    }
    <p id="onb-result" role="status">${state.result}</p>
    <p id="onb-error" role="alert">${state.error}</p>

    <h3>${t('adapterProfile')}</h3>
    <p id="onb-profile" data-style=${district.profile.adapterStyle} data-version=${district.profileVersion}>
      ${district.profile.adapterStyle} · ${district.profile.endpoint || '—'} · ${t('profileVersion')}
      ${district.profileVersion}
    </p>
    ${
      admin
        ? html`<form id="onb-profile-form" @submit=${saveProfile}>
            <label for="onb-style">${t('adapterStyle')}</label>
            <select id="onb-style" .value=${district.profile.adapterStyle}>
              ${['pull', 'push_json', 'push_soap'].map(
                (style) =>
                  html`<option value=${style} ?selected=${style === district.profile.adapterStyle}>${style}</option>`,
              )}
            </select>
            <label for="onb-endpoint">${t('endpoint')}</label>
            <input id="onb-endpoint" type="url" .value=${district.profile.endpoint || ''} />
            ${reasonField('onb-profile-reason')}
            <button type="submit">${t('saveProfile')}</button>
          </form>`
        : nothing
    }

    <h3>${t('secret')}</h3>
    <p id="onb-secret-state" data-version=${secret && secret.set ? secret.version : ''}>
      ${
        secret && secret.set
          ? fill(t('secretSet'), {
              version: secret.version,
              fingerprint: secret.fingerprint,
              by: secret.setBy,
              at: when(secret.setAt),
            })
          : t('secretNotSet')
      }
    </p>
    ${
      admin
        ? html`<form id="onb-secret-form" @submit=${setSecret}>
            <label for="onb-secret">${t('newSecret')}</label>
            <input id="onb-secret" type="password" autocomplete="off" required minlength="32" maxlength="500" />
            ${reasonField('onb-secret-reason')}
            <button type="submit">${t('setSecret')}</button>
          </form>`
        : nothing
    }

    <h3>${t('bankDetails')}</h3>
    <p id="onb-bank" data-placeholder=${String(bank.placeholder)}>${bank.iban} · ${bank.bic} · ${bank.bankName}</p>
    ${
      admin
        ? html`<form id="onb-bank-form" @submit=${saveBank}>
            <label for="onb-iban">${t('iban')}</label>
            <input id="onb-iban" required .value=${bank.placeholder ? '' : bank.iban} />
            <label for="onb-bic">${t('bic')}</label>
            <input id="onb-bic" required .value=${bank.placeholder ? '' : bank.bic} />
            <label for="onb-bank-name">${t('bankName')}</label>
            <input id="onb-bank-name" required .value=${bank.placeholder ? '' : bank.bankName} />
            ${reasonField('onb-bank-reason')}
            <button type="submit">${t('saveBank')}</button>
          </form>`
        : nothing
    }

    <h3>${t('eDeliveryIdentity')}</h3>
    <p id="onb-edelivery">
      ${district.eDelivery ? `${district.eDelivery.unitIdentifier} · ${district.eDelivery.signingKeyRef}` : '—'}
    </p>
    ${
      admin
        ? html`<form id="onb-edelivery-form" @submit=${saveEDelivery}>
            <label for="onb-unit">${t('unitIdentifier')}</label>
            <input id="onb-unit" required pattern="[0-9]{9}|[0-9]{13}" .value=${identity.unitIdentifier} />
            <label for="onb-thumbprint">${t('thumbprint')}</label>
            <input id="onb-thumbprint" pattern="[0-9A-F]{40}" .value=${identity.certificateThumbprint || ''} />
            <label for="onb-key-ref">${t('signingKeyRef')}</label>
            <input id="onb-key-ref" required .value=${identity.signingKeyRef} />
            ${reasonField('onb-edelivery-reason')}
            <button type="submit">${t('saveEDelivery')}</button>
          </form>`
        : nothing
    }

    <h3>${t('conformance')}</h3>
    ${
      canOperate()
        ? html`<button type="button" id="onb-run" ?disabled=${state.watching} @click=${() => void runConformance()}>
            ${t('runConformance')}
          </button>`
        : nothing
    }
    ${latest ? stepsTable(latest) : html`<p>${t('none')}</p>`}

    <h3>${t('servicePhases')}</h3>
    ${
      admin
        ? html`<form id="onb-service-form" @submit=${changeServicePhase}>
            <label for="onb-service">${t('service')}</label>
            <select id="onb-service">
              ${services.map(
                (service) =>
                  html`<option value=${service.serviceNumber}>${service.serviceNumber} ${name(service)}</option>`,
              )}
            </select>
            <label for="onb-service-phase">${t('phase')}</label>
            <select id="onb-service-phase">
              ${servicePhases.map((phase) => html`<option value=${phase}>${tg('servicePhaseNames', phase)}</option>`)}
            </select>
            ${reasonField('onb-service-reason')}
            <button type="submit">${t('changeServicePhase')}</button>
          </form>`
        : nothing
    }
    <table id="onb-services">
      <thead>
        <tr>
          <th scope="col">${t('service')}</th>
          <th scope="col">${t('phase')}</th>
          <th scope="col">${t('gaps')}</th>
          <th scope="col">${t('when')}</th>
        </tr>
      </thead>
      <tbody>
        ${services.map(
          (service) =>
            html`<tr data-service=${service.serviceNumber} data-phase=${service.phase}>
              <td>${service.serviceNumber} ${name(service)}</td>
              <td>${tg('servicePhaseNames', service.phase)}</td>
              <td>${service.catalogueGaps.map((gap) => tg('gapNames', gap)).join(', ') || '—'}</td>
              <td>${service.phaseChangedAt ? when(service.phaseChangedAt) : '—'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  `;
}

function draw() {
  render(template(), section);
}

const onboarding = {
  name: 'onboarding',
  heading: 'onboarding-title',
  nav: 'board',
  mount(s) {
    section = s;
    section.setAttribute('aria-labelledby', 'onboarding-title');
    draw();
  },
  async show([code]) {
    if (!code || !(await load(code))) return;
    draw();
  },
  hide() {
    state = null;
  },
  translate() {
    if (currentView() === this) draw();
  },
};

registerView(onboarding);
