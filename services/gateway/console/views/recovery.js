// Recovery: dead-lettered Kafka messages of every consuming service and parked pushes to back
// offices; viewers look, operators replay (through the normal consumer path) or discard with a reason.
import { html, nothing, render } from '../vendor/lit-html/lit-html.js';
import { api, canOperate, problemText } from '../core/api.js';
import { announce, confirmAction } from '../core/dom.js';
import { addStrings, fill, name, t, tg, when } from '../core/i18n.js';
import { currentView, registerView } from '../core/router.js';
import { rollout } from '../core/rollout.js';

addStrings({
  bg: {
    servicesUnavailable: 'Не отговарят в момента (техните съобщения не са показани): {services}',
    recovery: 'Възстановяване',
    recoveryHint:
      'Съобщения, които услугите не са успели да обработят, и спрени изпращания към деловодствата. Повторението минава по обичайния път: вече обработено съобщение не се обработва втори път.',
    deadLetters: 'Необработени съобщения',
    parkedPushes: 'Спрени изпращания',
    service: 'Услуга',
    allServices: 'Всички услуги',
    topic: 'Тема',
    group: 'Група',
    reasonCode: 'Код на причината',
    failedAt: 'Неуспех',
    attempts: 'Опити',
    state: 'Състояние',
    select: 'Избор',
    inspect: 'Покажи',
    replaySelected: 'Повтори избраните',
    discardSelected: 'Откажи избраните',
    discardReason: 'Причина за отказа',
    more: 'Още',
    filter: 'Покажи',
    payload: 'Съдържание',
    headers: 'Заглавия',
    reasonMessage: 'Причина',
    kind: 'Вид',
    lastError: 'Последна грешка',
    application: 'Заявление',
    allDistricts: 'Всички райони',
    nothingSelected: 'Изберете поне едно.',
    confirmReplay: 'Да се повторят {count} избрани?',
    confirmDiscard: 'Да се откажат {count} избрани? Те няма да бъдат обработени.',
    outcomes: 'Резултат: {text}',
    letterStates: { open: 'чака', replayed: 'повторено', discarded: 'отказано' },
    pushStates: { parked: 'спряно', discarded: 'отказано', pending: 'чака', answered: 'отговорено' },
    outcomeNames: {
      replayed: 'повторено',
      discarded: 'отказано',
      not_found: 'не е намерено',
      already_discarded: 'вече отказано',
      not_open: 'не чака',
      not_parked: 'не е спряно',
    },
  },
  en: {
    servicesUnavailable: 'Not answering now (their messages are not shown): {services}',
    recovery: 'Recovery',
    recoveryHint:
      'Messages the services could not process, and pushes to back offices that were parked. A replay goes the normal way: a message already processed is not processed twice.',
    deadLetters: 'Dead letters',
    parkedPushes: 'Parked pushes',
    service: 'Service',
    allServices: 'All services',
    topic: 'Topic',
    group: 'Group',
    reasonCode: 'Reason code',
    failedAt: 'Failed',
    attempts: 'Attempts',
    state: 'State',
    select: 'Select',
    inspect: 'Inspect',
    replaySelected: 'Replay selected',
    discardSelected: 'Discard selected',
    discardReason: 'Why discard',
    more: 'More',
    filter: 'Show',
    payload: 'Payload',
    headers: 'Headers',
    reasonMessage: 'Reason',
    kind: 'Kind',
    lastError: 'Last error',
    application: 'Application',
    allDistricts: 'All districts',
    nothingSelected: 'Select at least one.',
    confirmReplay: 'Replay the {count} selected?',
    confirmDiscard: 'Discard the {count} selected? They will never be processed.',
    outcomes: 'Outcome: {text}',
    letterStates: { open: 'open', replayed: 'replayed', discarded: 'discarded' },
    pushStates: { parked: 'parked', discarded: 'discarded', pending: 'pending', answered: 'answered' },
    outcomeNames: {
      replayed: 'replayed',
      discarded: 'discarded',
      not_found: 'not found',
      already_discarded: 'already discarded',
      not_open: 'not open',
      not_parked: 'not parked',
    },
  },
});

const services = ['applications', 'payments', 'delivery', 'districts'];

let section;
/** The two lists: their filters, pages, selection, the one opened, the last outcome or error. */
const letters = {
  service: '',
  state: 'open',
  reasonCode: '',
  items: [],
  next: null,
  unavailable: [],
  selected: new Set(),
  open: null,
  reason: '',
  result: '',
  error: '',
};
const pushes = {
  district: '',
  state: 'parked',
  items: [],
  next: null,
  selected: new Set(),
  open: null,
  reason: '',
  result: '',
  error: '',
};

const toggle = (list, id) => (list.selected.has(id) ? list.selected.delete(id) : list.selected.add(id), draw());
const outcomeText = (results) =>
  fill(t('outcomes'), { text: results.map((r) => `${r.id} ${tg('outcomeNames', r.outcome)}`).join(', ') });

function letterRow(letter) {
  return html`<tr data-ref=${letter.ref}>
    <td>
      <input
        type="checkbox"
        id=${`letter-${letter.ref}`}
        aria-label=${`${t('select')} ${letter.ref}`}
        .checked=${letters.selected.has(letter.ref)}
        @change=${() => toggle(letters, letter.ref)}
      />
    </td>
    <td>${letter.service}</td>
    <td><code>${letter.topic}</code></td>
    <td>${letter.consumerGroup}</td>
    <td><code>${letter.reasonCode}</code></td>
    <td>${when(letter.failedAt)}</td>
    <td>${letter.attempts}</td>
    <td data-state=${letter.state}>
      ${tg('letterStates', letter.state)}${letter.replayedBy && letter.state !== 'discarded' ? ` (${letter.replayedBy})` : ''}${letter.discardedBy ? ` (${letter.discardedBy}: ${letter.discardReason})` : ''}
    </td>
    <td>
      <button
        type="button"
        class="inspect"
        aria-label=${`${t('inspect')} ${letter.ref}`}
        @click=${() => void inspectLetter(letter)}
      >
        ${t('inspect')}
      </button>
    </td>
  </tr>`;
}

function pushRow(push) {
  return html`<tr data-push=${push.id}>
    <td>
      <input
        type="checkbox"
        id=${`push-${push.id}`}
        aria-label=${`${t('select')} #${push.id}`}
        .checked=${pushes.selected.has(push.id)}
        @change=${() => toggle(pushes, push.id)}
      />
    </td>
    <td>${push.id}</td>
    <td>
      ${rollout.board.find((d) => d.code === push.districtCode) ? name(rollout.board.find((d) => d.code === push.districtCode)) : push.districtCode}
    </td>
    <td><code>${push.applicationId}</code></td>
    <td>${push.kind}</td>
    <td>${push.attempts}</td>
    <td>${push.lastError ?? ''}</td>
    <td data-state=${push.state}>
      ${tg('pushStates', push.state)}${push.discardedBy ? ` (${push.discardedBy}: ${push.discardReason})` : ''}
    </td>
    <td>
      <button
        type="button"
        class="inspect"
        aria-label=${`${t('inspect')} #${push.id}`}
        @click=${() => void inspectPush(push)}
      >
        ${t('inspect')}
      </button>
    </td>
  </tr>`;
}

const details = (opened) =>
  opened
    ? html`<div class="details" id=${opened.id}>
        <h4>${opened.title}</h4>
        <dl>
          ${opened.facts.map(
            ([term, value]) =>
              html`<dt>${term}</dt>
                <dd>${value}</dd>`,
          )}
        </dl>
        <pre>${opened.body}</pre>
      </div>`
    : nothing;

/** Replay and discard, shown only to a role that may take them. */
function actions(list, prefix, replay, discard) {
  if (!canOperate()) return html`<p class="hint">${t('viewerOnly')}</p>`;
  return html`<div class="actions">
    <button type="button" id=${`${prefix}-replay`} @click=${() => void replay()}>${t('replaySelected')}</button>
    <label for=${`${prefix}-reason`}>${t('discardReason')}</label>
    <input id=${`${prefix}-reason`} .value=${list.reason} @input=${(e) => (list.reason = e.target.value)} />
    <button type="button" id=${`${prefix}-discard`} @click=${() => void discard()}>${t('discardSelected')}</button>
  </div>`;
}

function draw() {
  render(
    html`<h2 id="recovery-title" tabindex="-1">${t('recovery')}</h2>
      <p class="hint">${t('recoveryHint')}</p>

      <h3 id="dead-letters-title">${t('deadLetters')}</h3>
      <form class="filters" @submit=${(e) => (e.preventDefault(), void loadLetters(false))}>
        <label for="letters-service">${t('service')}</label>
        <select id="letters-service" @change=${(e) => (letters.service = e.target.value)}>
          <option value="" ?selected=${letters.service === ''}>${t('allServices')}</option>
          ${services.map((s) => html`<option value=${s} ?selected=${letters.service === s}>${s}</option>`)}
        </select>
        <label for="letters-state">${t('state')}</label>
        <select id="letters-state" @change=${(e) => (letters.state = e.target.value)}>
          ${['open', 'replayed', 'discarded'].map(
            (s) => html`<option value=${s} ?selected=${letters.state === s}>${tg('letterStates', s)}</option>`,
          )}
        </select>
        <label for="letters-reason-code">${t('reasonCode')}</label>
        <input
          id="letters-reason-code"
          .value=${letters.reasonCode}
          @input=${(e) => (letters.reasonCode = e.target.value.trim())}
        />
        <button type="submit">${t('filter')}</button>
      </form>
      ${actions(letters, 'letters', replayLetters, discardLetters)}
      <p role="status" id="letters-result">${letters.result}</p>
      <p role="alert" class="error" id="letters-error">${letters.error}</p>
      <p role="status" id="letters-unavailable">
        ${letters.unavailable.length ? fill(t('servicesUnavailable'), { services: letters.unavailable.join(', ') }) : ''}
      </p>
      <table id="dead-letters" aria-labelledby="dead-letters-title">
        <thead>
          <tr>
            <th scope="col">${t('select')}</th>
            <th scope="col">${t('service')}</th>
            <th scope="col">${t('topic')}</th>
            <th scope="col">${t('group')}</th>
            <th scope="col">${t('reasonCode')}</th>
            <th scope="col">${t('failedAt')}</th>
            <th scope="col">${t('attempts')}</th>
            <th scope="col">${t('state')}</th>
            <th scope="col">${t('inspect')}</th>
          </tr>
        </thead>
        <tbody>
          ${
            letters.items.length
              ? letters.items.map(letterRow)
              : html`<tr>
                  <td colspan="9">${t('none')}</td>
                </tr>`
          }
        </tbody>
      </table>
      ${letters.next ? html`<button type="button" id="letters-more" @click=${() => void loadLetters(true)}>${t('more')}</button>` : nothing}
      ${details(letters.open)}

      <h3 id="parked-pushes-title">${t('parkedPushes')}</h3>
      <form class="filters" @submit=${(e) => (e.preventDefault(), void loadPushes(false))}>
        <label for="pushes-district">${t('district')}</label>
        <select id="pushes-district" @change=${(e) => (pushes.district = e.target.value)}>
          <option value="" ?selected=${pushes.district === ''}>${t('allDistricts')}</option>
          ${rollout.board.map((d) => html`<option value=${d.code} ?selected=${pushes.district === d.code}>${name(d)}</option>`)}
        </select>
        <label for="pushes-state">${t('state')}</label>
        <select id="pushes-state" @change=${(e) => (pushes.state = e.target.value)}>
          ${['parked', 'discarded'].map((s) => html`<option value=${s} ?selected=${pushes.state === s}>${tg('pushStates', s)}</option>`)}
        </select>
        <button type="submit">${t('filter')}</button>
      </form>
      ${actions(pushes, 'pushes', replayPushes, discardPushes)}
      <p role="status" id="pushes-result">${pushes.result}</p>
      <p role="alert" class="error" id="pushes-error">${pushes.error}</p>
      <table id="parked-pushes" aria-labelledby="parked-pushes-title">
        <thead>
          <tr>
            <th scope="col">${t('select')}</th>
            <th scope="col">#</th>
            <th scope="col">${t('district')}</th>
            <th scope="col">${t('application')}</th>
            <th scope="col">${t('kind')}</th>
            <th scope="col">${t('attempts')}</th>
            <th scope="col">${t('lastError')}</th>
            <th scope="col">${t('state')}</th>
            <th scope="col">${t('inspect')}</th>
          </tr>
        </thead>
        <tbody>
          ${
            pushes.items.length
              ? pushes.items.map(pushRow)
              : html`<tr>
                  <td colspan="9">${t('none')}</td>
                </tr>`
          }
        </tbody>
      </table>
      ${pushes.next ? html`<button type="button" id="pushes-more" @click=${() => void loadPushes(true)}>${t('more')}</button>` : nothing}
      ${details(pushes.open)}`,
    section,
  );
}

async function loadLetters(more) {
  const query = new URLSearchParams({ limit: '50', state: letters.state });
  if (letters.service) query.set('service', letters.service);
  if (letters.reasonCode) query.set('reasonCode', letters.reasonCode);
  if (more && letters.next) query.set('cursor', letters.next);
  const answer = await api('GET', `/operator/v1/dead-letters?${query}`);
  letters.error = answer.status === 200 ? '' : problemText(answer, t);
  if (answer.status === 200) {
    letters.items = more ? [...letters.items, ...answer.data.items] : answer.data.items;
    letters.next = answer.data.nextCursor;
    letters.unavailable = answer.data.unavailable;
    if (!more) letters.selected.clear();
  }
  draw();
}

async function loadPushes(more) {
  const query = new URLSearchParams({ limit: '50', state: pushes.state });
  if (pushes.district) query.set('district', pushes.district);
  if (more && pushes.next) query.set('cursor', pushes.next);
  const answer = await api('GET', `/operator/v1/parked-pushes?${query}`);
  pushes.error = answer.status === 200 ? '' : problemText(answer, t);
  if (answer.status === 200) {
    pushes.items = more ? [...pushes.items, ...answer.data.items] : answer.data.items;
    pushes.next = answer.data.nextCursor;
    if (!more) pushes.selected.clear();
  }
  draw();
}

async function inspectLetter(letter) {
  const answer = await api('GET', `/operator/v1/dead-letters/${letter.service}/${letter.id}`);
  if (answer.status !== 200) return ((letters.error = problemText(answer, t)), draw());
  const d = answer.data;
  letters.open = {
    id: 'letter-details',
    title: d.ref,
    facts: [
      [t('topic'), `${d.topic} [${d.partition}] @${d.offset}`],
      [t('reasonMessage'), `${d.reasonCode}: ${d.reasonMessage}`],
      [t('attempts'), String(d.attempts)],
      [t('failedAt'), when(d.failedAt)],
      [t('headers'), JSON.stringify(d.headers)],
    ],
    body: d.payloadBase64 ?? JSON.stringify(d.payload, null, 2),
  };
  draw();
}

async function inspectPush(push) {
  const answer = await api('GET', `/operator/v1/parked-pushes/${push.id}`);
  if (answer.status !== 200) return ((pushes.error = problemText(answer, t)), draw());
  const d = answer.data;
  pushes.open = {
    id: 'push-details',
    title: `#${d.id}`,
    facts: d.attemptLog.map((a) => [when(a.at), `${a.outcome} ${a.httpStatus ?? ''} ${a.error ?? ''}`]),
    body: JSON.stringify(d.payload, null, 2),
  };
  draw();
}

/** Sends one action for the selection, after the shared confirmation; shows each id's outcome. */
async function act(list, path, body, question, reload) {
  if (list.selected.size === 0) return ((list.error = t('nothingSelected')), draw());
  if (!(await confirmAction(fill(question, { count: list.selected.size })))) return;
  const answer = await api('POST', path, { ids: [...list.selected], ...body });
  list.error = answer.status === 200 ? '' : problemText(answer, t);
  list.result = answer.status === 200 ? outcomeText(answer.data.results) : '';
  if (answer.status === 200) {
    list.reason = '';
    announce(list.result);
  }
  await reload(false);
}

const replayLetters = () => act(letters, '/operator/v1/dead-letter-replays', {}, t('confirmReplay'), loadLetters);
const discardLetters = () =>
  act(
    letters,
    '/operator/v1/dead-letter-discards',
    { reason: letters.reason.trim() },
    t('confirmDiscard'),
    loadLetters,
  );
const replayPushes = () => act(pushes, '/operator/v1/parked-push-replays', {}, t('confirmReplay'), loadPushes);
const discardPushes = () =>
  act(pushes, '/operator/v1/parked-push-discards', { reason: pushes.reason.trim() }, t('confirmDiscard'), loadPushes);

registerView({
  name: 'recovery',
  heading: 'recovery-title',
  nav: true,
  mount(s) {
    section = s;
    section.setAttribute('aria-labelledby', 'recovery-title');
    draw();
  },
  async show() {
    await Promise.all([loadLetters(false), loadPushes(false)]);
  },
  translate() {
    if (currentView() === this) draw();
  },
});
