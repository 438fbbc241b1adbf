// The operator console: ES modules from the gateway's origin, one per view (views/), data from
// /operator/v1 with the session cookie, live updates over server-sent events (core/live.js).
// A new view: a module in views/ that calls registerView(), imported below.
import { api, session } from './core/api.js';
import { $ } from './core/dom.js';
import { currentLanguage, setLanguage, onLanguageChange, t, tg, translateStatic } from './core/i18n.js';
import { listen, stopListening } from './core/live.js';
import { allViews, fromAddress, hideAll, mountViews, show, translateViews } from './core/router.js';
import { loadRollout } from './core/rollout.js';
import './views/board.js';
import './views/city.js';
import './views/district.js';
import './views/audit.js';
import './views/onboarding.js';
import './views/fees.js';
import './views/recovery.js';
import './views/deadlines.js';
import './views/applications.js';
import './views/feedback.js';

function renderWho() {
  $('who').textContent = session.operator ? `${session.operator.username} (${tg('roles', session.operator.role)})` : '';
}

function renderMenu() {
  $('views').replaceChildren(
    ...allViews()
      .filter((view) => view.nav === true)
      .map((view) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.id = `to-${view.name}`;
        button.dataset.view = view.name;
        button.dataset.t = view.name;
        button.addEventListener('click', () => void show(view.name));
        return button;
      }),
  );
}

function translate() {
  document.documentElement.lang = currentLanguage();
  document.title = t('title');
  translateStatic(document);
  $('views').setAttribute('aria-label', t('views'));
  $('language').value = currentLanguage();
  renderWho();
  translateViews();
}

function signedOut() {
  stopListening();
  session.operator = null;
  hideAll();
  renderWho();
  $('sign-out').hidden = true;
  $('views').hidden = true;
  $('sign-in').hidden = false;
}

async function start() {
  const me = await api('GET', '/operator/v1/me');
  if (me.status !== 200) return signedOut();
  session.operator = me.data;
  document.body.dataset.role = session.operator.role;
  renderWho();
  $('sign-out').hidden = false;
  $('views').hidden = false;
  await loadRollout();
  const [name, params] = fromAddress();
  await show(name, params);
  listen();
}

session.onSignedOut = () => {
  if (session.operator) signedOut();
};
$('language').addEventListener('change', (event) => setLanguage(event.target.value));
onLanguageChange(translate);
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
// A link inside the console (e.g. #application/…) shows its view without reloading.
window.addEventListener('hashchange', () => {
  if (!session.operator) return;
  const [name, params] = fromAddress();
  void show(name, params);
});

renderMenu();
mountViews($('main'));
translate();
void start();
