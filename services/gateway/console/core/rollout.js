// The rollout as the operator API reports it: the 24 districts' tiles and the city's figures,
// loaded at sign-in and then kept current by the live stream.
import { api } from './api.js';
import { onLive } from './live.js';

export const rollout = { board: [], statistics: null };
const changed = new EventTarget();

/** listener(kind, before) after the board ('board') or the figures ('statistics') changed. */
export const onRolloutChange = (listener) =>
  changed.addEventListener('change', (event) => listener(event.detail.kind, event.detail.before));

export const figuresOf = (code) =>
  rollout.statistics ? rollout.statistics.districts.find((figures) => figures.districtCode === code) : undefined;
export const tileOf = (code) => rollout.board.find((tile) => tile.code === code);

function update(kind, next) {
  const before = rollout[kind];
  rollout[kind] = next;
  changed.dispatchEvent(new CustomEvent('change', { detail: { kind, before } }));
}

export async function loadRollout() {
  const [list, figures] = await Promise.all([
    api('GET', '/operator/v1/districts'),
    api('GET', '/operator/v1/statistics'),
  ]);
  if (list.status === 200) update('board', list.data);
  if (figures.status === 200) update('statistics', figures.data);
}

onLive('board', (next) => update('board', next));
onLive('statistics', (next) => update('statistics', next));
