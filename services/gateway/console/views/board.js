// The rollout board: the 24 districts laid out as on the map, coloured by phase, live.
import { html, render } from '../vendor/lit-html/lit-html.js';
import { announce, definitions, element } from '../core/dom.js';
import { fill, name, number, phaseName, t, tg, translateStatic } from '../core/i18n.js';
import { currentView, registerView, show } from '../core/router.js';
import { figuresOf, onRolloutChange, rollout } from '../core/rollout.js';

const phases = ['not_started', 'onboarding', 'pilot', 'live', 'suspended'];
let hovered = null; // the district whose figures the side panel shows

const template = () => html`
  <h2 id="board-title" data-t="board" tabindex="-1"></h2>
  <p class="hint" data-t="boardHint"></p>
  <ul class="legend" id="legend" data-t-label="legend"></ul>
  <div class="board-layout">
    <ul id="board" aria-labelledby="board-title" @keydown=${moveOnBoard}></ul>
    <aside id="tile-figures" aria-labelledby="tile-figures-title">
      <h3 id="tile-figures-title"></h3>
      <dl id="tile-figures-list"></dl>
    </aside>
  </div>
  <p class="updated"><span data-t="updated"></span>: <time id="updated"></time></p>
`;

function renderLegend() {
  const legend = document.getElementById('legend');
  legend.replaceChildren(...phases.map((phase) => element('li', { class: `phase-${phase}` }, phaseName(phase))));
  legend.append(element('li', { class: 'circuit-open' }, `${t('circuit')}: ${tg('circuits', 'open')}`));
}

function renderBoard() {
  const boardList = document.getElementById('board');
  const focused = document.activeElement && document.activeElement.dataset && document.activeElement.dataset.district;
  const items = rollout.board.map((d) => {
    const item = element('li');
    item.style.gridRow = String(d.row + 1);
    item.style.gridColumn = String(d.col + 1);
    const tile = element('button', {
      type: 'button',
      class: `tile phase-${d.phase}${d.circuit === 'closed' ? '' : ' circuit-open'}`,
      'data-district': d.code,
      'data-phase': d.phase,
      'data-row': d.row,
      'data-col': d.col,
    });
    const figures = figuresOf(d.code);
    // The tile's name is its visible text (WCAG 2.5.3) plus, for screen readers, its number and circuit.
    tile.append(
      element('span', { class: 'visually-hidden' }, `${d.no}. `),
      element('span', { class: 'name' }, name(d)),
      element('span', { class: 'figures' }, phaseName(d.phase)),
      element(
        'span',
        { class: 'figures' },
        figures ? `${t('open')} ${number(figures.open)} · ${t('overdue')} ${number(figures.overdue)}` : '',
      ),
      element('span', { class: 'visually-hidden' }, ` · ${t('circuit')}: ${tg('circuits', d.circuit)}`),
    );
    tile.addEventListener('click', () => void show('district', [d.code]));
    tile.addEventListener('mouseenter', () => showTileFigures(d.code));
    tile.addEventListener('focus', () => showTileFigures(d.code));
    item.append(tile);
    return item;
  });
  boardList.replaceChildren(...items);
  // Redrawing must not take the keyboard user's place on the map.
  if (focused) {
    const again = boardList.querySelector(`[data-district="${focused}"]`);
    if (again) again.focus();
  }
  renderTileFigures();
}

function showTileFigures(code) {
  hovered = code;
  renderTileFigures();
}

/** The side panel: the hovered or focused district's live figures. */
function renderTileFigures() {
  const d = rollout.board.find((tile) => tile.code === hovered) || rollout.board[0];
  if (!d) return;
  document.getElementById('tile-figures-title').textContent = `${d.no}. ${name(d)}`;
  const figures = figuresOf(d.code);
  const rows = [
    [t('phase'), phaseName(d.phase)],
    [t('adapter'), d.adapterStyle],
    [t('circuit'), tg('circuits', d.circuit)],
    [t('backlog'), number(d.backlog)],
    [t('parked'), number(d.parked)],
  ];
  if (figures) {
    rows.push(
      [t('received'), number(figures.total)],
      [t('open'), number(figures.open)],
      [t('atRisk'), number(figures.atRisk)],
      [t('overdue'), number(figures.overdue)],
    );
  }
  definitions(document.getElementById('tile-figures-list'), rows);
}

/** Arrow keys move between tiles as the districts lie on the map. */
function moveOnBoard(event) {
  const steps = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const step = steps[event.key];
  const from = event.target.closest('.tile');
  if (!step || !from) return;
  const row = Number(from.dataset.row);
  const col = Number(from.dataset.col);
  let best = null;
  let bestScore = Infinity;
  for (const tile of document.querySelectorAll('#board .tile')) {
    const dr = Number(tile.dataset.row) - row;
    const dc = Number(tile.dataset.col) - col;
    const along = dr * step[0] + dc * step[1];
    if (along <= 0) continue;
    const across = Math.abs(step[0] ? dc : dr);
    const score = along + across * 2;
    if (score < bestScore) {
      bestScore = score;
      best = tile;
    }
  }
  if (best) {
    event.preventDefault();
    best.focus();
  }
}

onRolloutChange((kind, before) => {
  if (kind === 'board') {
    for (const d of rollout.board) {
      const was = before && before.find((tile) => tile.code === d.code);
      if (was && was.phase !== d.phase) announce(fill(t('phaseChanged'), { name: name(d), phase: phaseName(d.phase) }));
    }
    const updated = document.getElementById('updated');
    if (updated) updated.textContent = new Date().toLocaleTimeString();
  }
  if (document.getElementById('board')) renderBoard();
});

registerView({
  name: 'board',
  heading: 'board-title',
  nav: true,
  mount(section) {
    section.setAttribute('aria-labelledby', 'board-title');
    render(template(), section);
    this.translate();
  },
  show() {
    renderBoard();
  },
  translate() {
    translateStatic(this.section);
    renderLegend();
    renderBoard();
  },
  focusTile(code) {
    const tile = document.querySelector(`#board [data-district="${code}"]`);
    if (tile && currentView() === this) tile.focus();
  },
});
