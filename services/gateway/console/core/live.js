// The operator API's live stream (server-sent events): views subscribe by event name.
import { api, session } from './api.js';

const bus = new EventTarget();
const types = new Set();
let source = null;

/** Calls listener with the parsed data of every event of this name, from now on. */
export function onLive(type, listener) {
  bus.addEventListener(type, (event) => listener(event.detail));
  if (!types.has(type)) {
    types.add(type);
    if (source) subscribe(source, type);
  }
}

function subscribe(events, type) {
  events.addEventListener(type, (event) =>
    bus.dispatchEvent(new CustomEvent(type, { detail: JSON.parse(event.data) })),
  );
}

export function listen() {
  stopListening();
  const events = new EventSource('/operator/v1/events');
  source = events;
  for (const type of types) subscribe(events, type);
  // The browser reconnects by itself after a dropped connection, but not after an error answer
  // (the session ended): then sign in again, or start over after a pause.
  events.addEventListener('error', () => {
    if (events.readyState !== EventSource.CLOSED || source !== events) return;
    void api('GET', '/operator/v1/me').then((me) => {
      if (me.status !== 401) window.setTimeout(() => session.operator && listen(), 5_000);
    });
  });
}

export function stopListening() {
  if (source) source.close();
  source = null;
}
