import { findDistrict } from '@umg/catalogue';
import { simulatedUnitIdentifier } from '../simulators/e-delivery/unit-identifier';
import { EDeliveryControl } from '../simulators/e-delivery/e-delivery-control';
import { portalFiling } from '../simulators/portal/e-delivery-filing';
import { PortalSimulator } from '../simulators/portal/portal-simulator';
import { randomSubmission, type SubmissionOptions } from '../simulators/portal/submission-factory';
import type { PortalLoadCommand, PortalLoadEvent } from './children';
import { type PacingState, sendsToStart } from './pacing';
import type { OfferFigures } from './report';

/**
 * The portal's traffic, in a process of its own (forked by the bench): a realistic mix over all
 * 24 districts, started on a timer schedule without waiting for each send (a bounded number in
 * flight). The pilots' applications go as the portal really sends them — e-delivery messages to
 * their inboxes, which the gateway reads — the others on the internal Kafka seam. It also listens
 * to the status updates and passes them, with its submissions, to the bench once a second.
 */
let portal: PortalSimulator | undefined;
let inboxes: EDeliveryControl | undefined;
let batch: Extract<PortalLoadEvent, { type: 'events' }> = { type: 'events', submitted: [], statuses: [], rejected: [] };

const send = (event: PortalLoadEvent) => process.send?.(event);

function flush(): void {
  if (batch.submitted.length + batch.statuses.length + batch.rejected.length === 0) return;
  send(batch);
  batch = { type: 'events', submitted: [], statuses: [], rejected: [] };
}

async function start(command: Extract<PortalLoadCommand, { type: 'start' }>): Promise<void> {
  portal = new PortalSimulator(command.connection);
  inboxes = new EDeliveryControl(command.eDeliveryUrl);
  await portal.start();
  portal.onStatus((message) => {
    if (message.type === 'status-changed') {
      const body = message.body;
      batch.statuses.push([body.portalApplicationId, body.status, Date.parse(body.occurredAt)]);
    } else {
      batch.rejected.push(message.body.portalApplicationId);
    }
  });
  setInterval(flush, 1_000);
  send({ type: 'ready' });
}

/** One submission, as the portal sends it; resolves when the portal's channel took it. */
async function submitOne(target: SubmissionOptions, channel: 'portal' | 'kafka'): Promise<void> {
  const submission = randomSubmission({ ...target, attachments: 1 });
  if (channel === 'portal' && findDistrict(submission.districtCode)?.pilot) {
    const filing = await portalFiling(submission, simulatedUnitIdentifier(submission.districtCode));
    // Submitted when the filing is made and sent (building its PDF is the portal's work, not the gateway's).
    const at = Date.now();
    await inboxes!.deposit(filing);
    batch.submitted.push([filing.orn, at]);
    return;
  }
  const at = Date.now();
  await portal!.submit(submission);
  batch.submitted.push([submission.portalApplicationId, at]);
}

async function offer(command: Extract<PortalLoadCommand, { type: 'offer' }>): Promise<OfferFigures> {
  const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;
  const target = (): SubmissionOptions =>
    // Pilots carry most of the traffic (every service); the others their first services.
    Math.random() < 0.6 || command.onboarded.length === 0
      ? { districtCode: pick(command.pilots) }
      : { districtCode: pick(command.onboarded), serviceNumber: pick(command.services) };
  const state: PacingState = { started: 0, skipped: 0, inFlight: 0 };
  let failed = 0;
  let firstFailure: string | undefined;
  let maxInFlightSeen = 0;
  const started = Date.now();
  const end = started + command.seconds * 1000;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const now = Date.now();
      if (now >= end) {
        clearInterval(tick);
        resolve();
        return;
      }
      const count = sendsToStart(state, now - started, command.perSecond, command.maxInFlight);
      for (let i = 0; i < count; i += 1) {
        state.started += 1;
        state.inFlight += 1;
        maxInFlightSeen = Math.max(maxInFlightSeen, state.inFlight);
        submitOne(target(), command.channel)
          .catch((error: unknown) => {
            failed += 1;
            firstFailure ??= error instanceof Error ? error.message : String(error);
          })
          .finally(() => (state.inFlight -= 1));
      }
    }, 10);
  });
  // The sends still in flight belong to this phase: wait for them (not for their lifecycles).
  while (state.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (Date.now() - started) / 1000;
  return {
    phase: command.phase,
    offeredPerSecond: command.perSecond,
    seconds,
    started: state.started,
    failed,
    skipped: state.skipped,
    achievedPerSecond: (state.started - failed) / seconds,
    maxInFlightSeen,
    ...(firstFailure ? { firstFailure } : {}),
  };
}

process.on('message', (command: PortalLoadCommand) => {
  if (command.type === 'start') {
    start(command).catch((error: unknown) => {
      console.error('portal load: could not start', error);
      process.exit(1);
    });
  } else if (command.type === 'offer') {
    offer(command).then(
      (figures) => {
        flush();
        send({ type: 'offered', offer: figures });
      },
      (error: unknown) => {
        console.error('portal load: offer failed', error);
        process.exit(1);
      },
    );
  } else if (command.type === 'stop') {
    flush();
    void (portal?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
  }
});
process.on('disconnect', () => process.exit(0));
