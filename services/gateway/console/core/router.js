// Views and the address bar: #board, #city, #district/serdika … Each view module registers itself
// with a name, a section it renders into, and show(params); the address names the view shown.
import { $ } from './dom.js';

const views = new Map();
let shown = null;

/**
 * view: { name, heading (id of the element that takes focus), nav (true: has a button in the
 * menu; or the name of the menu view it belongs to), mount(section), show(params, focus), hide?(),
 * translate?() }.
 */
export function registerView(view) {
  views.set(view.name, view);
}

export const allViews = () => [...views.values()];
export const currentView = () => shown;

export function mountViews(main) {
  for (const view of views.values()) {
    const section = document.createElement('section');
    section.id = `${view.name}-view`;
    section.hidden = true;
    main.append(section);
    view.section = section;
    view.mount(section);
  }
}

/** Shows a view; the address bar follows so a page can be bookmarked and reloaded. */
export async function show(name, params = [], focus = true) {
  const view = views.get(name);
  if (!view) return;
  const address = `#${[name, ...params.map(encodeURIComponent)].join('/')}`;
  if (location.hash !== address) history.replaceState(null, '', address);
  if (shown && shown !== view && shown.hide) shown.hide();
  shown = view;
  $('sign-in').hidden = true;
  for (const other of views.values()) other.section.hidden = other !== view;
  for (const button of $('views').querySelectorAll('button')) {
    const current = button.dataset.view === name || button.dataset.view === view.nav;
    if (current) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  await view.show(params, focus);
  if (!focus) return;
  // Focus moves to the new view's heading so keyboard and screen-reader users land where it changed.
  const heading = document.getElementById(view.heading);
  if (heading) heading.focus();
}

/** The view and parameters the address bar names, e.g. #district/serdika → ['district', ['serdika']]. */
export function fromAddress() {
  const [name, ...params] = location.hash.slice(1).split('/').map(decodeURIComponent);
  return views.has(name) ? [name, params] : ['board', []];
}

export function hideAll() {
  if (shown && shown.hide) shown.hide();
  shown = null;
  for (const view of views.values()) view.section.hidden = true;
}

export function translateViews() {
  for (const view of views.values()) if (view.translate) view.translate();
}
