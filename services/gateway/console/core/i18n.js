// Language of the console: the words of every view, the current language and its formats.
import { strings } from './strings.js';

let language = localStorage.getItem('umg-language') === 'en' ? 'en' : 'bg';
const changed = new EventTarget();

/** A view adds its own words; a group (an object of words) merges with the group of the same name. */
export function addStrings(more) {
  for (const lang of ['bg', 'en']) {
    for (const [key, value] of Object.entries(more[lang])) {
      const before = strings[lang][key];
      strings[lang][key] = typeof value === 'object' && before ? { ...before, ...value } : value;
    }
  }
}

export const currentLanguage = () => language;

export function setLanguage(next) {
  language = next === 'en' ? 'en' : 'bg';
  localStorage.setItem('umg-language', language);
  changed.dispatchEvent(new Event('change'));
}

export const onLanguageChange = (listener) => changed.addEventListener('change', listener);

export const t = (key) => strings[language][key] ?? key;
/** A word of a group, e.g. tg('statuses', 'paid'); the key itself where no word is known. */
export const tg = (group, key) => (strings[language][group] && strings[language][group][key]) || key;
export const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
export const phaseName = (phase) => tg('phases', phase);
export const statusName = (status) => tg('statuses', status);
export const name = (d) => (language === 'bg' ? d.nameBg : d.nameEn);
export const locale = () => (language === 'bg' ? 'bg-BG' : 'en-GB');
export const number = (value) =>
  value === null || value === undefined ? '—' : new Intl.NumberFormat(locale()).format(value);
export const percent = (value) =>
  value === null || value === undefined
    ? '—'
    : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(value);
export const when = (iso) => (iso ? new Date(iso).toLocaleString(locale()) : '—');
export const day = (iso) => (iso ? new Date(`${iso.slice(0, 10)}T12:00:00Z`).toLocaleDateString(locale()) : '—');
/** Money in minor units, e.g. { amountMinor: 256, currency: 'EUR' } → "2,56 €". */
export const money = (value) =>
  value
    ? new Intl.NumberFormat(locale(), { style: 'currency', currency: value.currency }).format(value.amountMinor / 100)
    : '—';

export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  const units = strings[language].units;
  if (seconds < 60) return `${Math.round(seconds)} ${units.s}`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} ${units.min}`;
  if (seconds < 86400) return `${(seconds / 3600).toFixed(1)} ${units.h}`;
  return `${(seconds / 86400).toFixed(1)} ${units.d}`;
}

/** Static markup carries data-t / data-t-label keys; this puts the current language's words in. */
export function translateStatic(root = document) {
  for (const node of root.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t);
  for (const node of root.querySelectorAll('[data-t-label]')) node.setAttribute('aria-label', t(node.dataset.tLabel));
}
