// Small DOM builders the charts and the older views use (new views write lit-html templates).
import { t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
export const $ = (id) => document.getElementById(id);

export function element(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

export function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

/** dt/dd pairs; a row [term, value, key, raw] marks the dd with data-figure/data-value for tests and tools. */
export function definitions(list, rows) {
  list.replaceChildren(
    ...rows.flatMap(([term, value, key, raw]) => {
      const dd = element('dd', key ? { 'data-figure': key, 'data-value': raw === undefined ? value : raw } : {}, value);
      return [element('dt', {}, term), dd];
    }),
  );
}

export function table(node, headers, rows) {
  const head = element('tr');
  for (const header of headers) head.append(element('th', { scope: 'col' }, header));
  const body = rows.map((row) => {
    const line = element('tr');
    for (const value of row) {
      const cell = element('td');
      if (value instanceof Node) cell.append(value);
      else cell.textContent = value === null || value === undefined ? '' : String(value);
      line.append(cell);
    }
    return line;
  });
  if (body.length === 0) {
    const line = element('tr');
    line.append(element('td', { colspan: headers.length }, t('none')));
    body.push(line);
  }
  node.replaceChildren(element('thead'), element('tbody'));
  node.tHead.append(head);
  node.tBodies[0].append(...body);
}

export function dataTable(headers, rows) {
  const details = element('details');
  details.append(element('summary', {}, t('showTable')));
  const data = element('table');
  table(data, headers, rows);
  details.append(data);
  return details;
}

/** The shared confirmation dialog; resolves true when the operator confirms. */
export function confirmAction(text) {
  const dialog = $('confirm');
  $('confirm-text').textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    $('confirm-ok').focus();
  });
}

/** Tells screen readers what changed without moving focus. */
export function announce(text) {
  $('announce').textContent = text;
}
