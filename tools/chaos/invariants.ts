import { applicationStateMachine, findTransition } from '@umg/contracts';
import { type ChainedRecord, type ChainHead, type PublicKeys, verifyChain } from '@umg/exchange-log';

/**
 * The chaos run's invariant checker: a pure function of what the run did (its record) and what
 * the system holds afterwards (PostgreSQL, the simulators, the exchange logs). It names every
 * violation; the run fails when there is any.
 */

export type ScriptName = 'delivered' | 'refused' | 'withdrawn' | 'expired' | 'repaid' | 'collection';

/** Where each script must leave its application. */
export const expectedStatusOf: Record<ScriptName, string> = {
  delivered: 'delivered',
  refused: 'refused',
  withdrawn: 'withdrawn',
  expired: 'expired_unpaid',
  repaid: 'delivered',
  collection: 'awaiting_collection',
};

/** Statuses of the timeline that the applicant is told about, and the notice each one makes. */
const noticeOf: Record<string, string> = {
  registered: 'registration_notice',
  returned_for_corrections: 'correction_notice',
  expired_unpaid: 'expiry_notice',
  refused: 'refusal',
  result_ready: 'result',
};

/** Final statuses of a delivery in a run where e-delivery always comes back. */
const settledDeliveryStatuses = ['delivered', 'no_profile', 'desk_collection'];

export interface ChaosSnapshot {
  /** Submissions the portal made and the broker acknowledged, with their scripts. */
  submissions: { portalApplicationId: string; script: ScriptName }[];
  /** District API decisions the gateway answered 200, and the status each one moved to. */
  acceptedDecisions: { applicationId: string; step: string; toStatus: string }[];
  applications: { id: string; portalApplicationId: string; status: string; version: number }[];
  events: { applicationId: string; sequence: number; fromStatus: string | null; toStatus: string; actorKind: string }[];
  paymentRequests: {
    id: string;
    applicationId: string;
    applicationSequence: number;
    aisPaymentId: string;
    status: string;
  }[];
  /** What the payment system (simulator) holds: one entry per request it created. */
  paymentSystem: { aisPaymentId: string }[];
  deliveries: { id: string; applicationId: string; noticeKind: string; eventSequence: number; status: string }[];
  /** What e-delivery (simulator) holds: one entry per message sent, with the delivery id it carries. */
  eDeliveryMessages: { registrationNumber: string | null }[];
  /** The order in which the portal heard of each application's statuses (duplicates included). */
  portalHeard: { applicationId: string; sequence: number }[];
  /** Poison messages the run published, and the consumer groups that must dead-letter each. */
  poison: { messageId: string; groups: string[] }[];
  deadLetters: { consumerGroup: string; messageId: string | null }[];
  exchangeLogs: { schema: string; records: ChainedRecord[]; publicKeys: PublicKeys }[];
  /** Heads the services witnessed during the run (signed; one a chain has lost is a violation). */
  exchangeLogHeads: ChainHead[];
  /** The parts of every life-event bundle (issue 21), with their request's id; none in a run without bundles. */
  bundleParts?: {
    requestId: string;
    partKey: string;
    state: string;
    dependsOn: string[];
    applicationId: string | null;
  }[];
}

/** Statuses that settle a bundle part, as the saga reads them (services/applications/src/life-events). */
const partDoneStatuses = ['result_ready', 'result_blocked', 'delivered', 'awaiting_collection', 'handed_over'];
const partFailedStatuses = ['refused', 'expired_unpaid', 'withdrawn'];

export interface InvariantResult {
  name: string;
  checked: number;
  violations: string[];
}

/** How many violations of each invariant are spelled out; the count is always complete. */
const shown = 20;

function invariant(name: string, run: (violate: (message: string) => void) => number): InvariantResult {
  const violations: string[] = [];
  const checked = run((message) => violations.push(message));
  return { name, checked, violations };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const list = groups.get(key(item)) ?? [];
    list.push(item);
    groups.set(key(item), list);
  }
  return groups;
}

export function checkInvariants(snapshot: ChaosSnapshot): InvariantResult[] {
  const byPortalId = new Map(
    snapshot.applications.map((application) => [application.portalApplicationId, application]),
  );
  const eventsOf = groupBy(snapshot.events, (event) => event.applicationId);
  for (const events of eventsOf.values()) events.sort((a, b) => a.sequence - b.sequence);

  return [
    invariant('every application reached the state its script implies', (violate) => {
      for (const { portalApplicationId, script } of snapshot.submissions) {
        const application = byPortalId.get(portalApplicationId);
        if (application && application.status !== expectedStatusOf[script]) {
          violate(`${application.id} (${script}) is ${application.status}, expected ${expectedStatusOf[script]}`);
        }
      }
      return snapshot.submissions.length;
    }),

    invariant('no accepted request lost', (violate) => {
      for (const { portalApplicationId } of snapshot.submissions) {
        if (!byPortalId.has(portalApplicationId))
          violate(`accepted submission ${portalApplicationId} has no application`);
      }
      for (const decision of snapshot.acceptedDecisions) {
        const found = (eventsOf.get(decision.applicationId) ?? []).some(
          (event) => event.toStatus === decision.toStatus && event.actorKind === 'district',
        );
        if (!found) {
          violate(
            `accepted ${decision.step} of ${decision.applicationId} is not in its timeline (${decision.toStatus})`,
          );
        }
      }
      return snapshot.submissions.length + snapshot.acceptedDecisions.length;
    }),

    invariant('exactly one payment request per fee attempt', (violate) => {
      const requestsOf = groupBy(
        snapshot.paymentRequests,
        (request) => `${request.applicationId}/${request.applicationSequence}`,
      );
      const atPaymentSystem = groupBy(snapshot.paymentSystem, (payment) => payment.aisPaymentId);
      let checked = 0;
      for (const [applicationId, events] of eventsOf) {
        for (const event of events.filter((candidate) => candidate.toStatus === 'awaiting_payment')) {
          checked += 1;
          const requests = requestsOf.get(`${applicationId}/${event.sequence}`) ?? [];
          if (requests.length !== 1) {
            violate(`${applicationId} asked for payment at ${event.sequence}: ${requests.length} payment requests`);
          }
          for (const request of requests) {
            const created = atPaymentSystem.get(request.aisPaymentId)?.length ?? 0;
            if (created !== 1)
              violate(`payment request ${request.aisPaymentId} exists ${created} times at the payment system`);
          }
        }
        const paid = snapshot.paymentRequests.filter((r) => r.applicationId === applicationId && r.status === 'paid');
        if (events.some((event) => event.toStatus === 'paid') && paid.length !== 1) {
          violate(`${applicationId} was paid with ${paid.length} paid payment requests`);
        }
      }
      for (const request of snapshot.paymentRequests) {
        const asked = (eventsOf.get(request.applicationId) ?? []).some(
          (event) => event.sequence === request.applicationSequence && event.toStatus === 'awaiting_payment',
        );
        if (!asked) violate(`payment request ${request.aisPaymentId} answers no request for payment`);
      }
      return checked;
    }),

    invariant('exactly one delivery per notice, each delivered once', (violate) => {
      const deliveriesOf = groupBy(snapshot.deliveries, (d) => `${d.applicationId}/${d.noticeKind}/${d.eventSequence}`);
      const messagesOf = groupBy(snapshot.eDeliveryMessages, (message) => message.registrationNumber ?? '');
      let checked = 0;
      const expected = new Set<string>();
      for (const [applicationId, events] of eventsOf) {
        for (const event of events) {
          // A payment notice follows the payment system accepting the request `awaiting_payment`
          // asked for: at most one, none when the request was never accepted.
          const paymentNotice = event.toStatus === 'awaiting_payment';
          const notice = paymentNotice ? 'payment_notice' : noticeOf[event.toStatus];
          if (!notice) continue;
          checked += 1;
          const key = `${applicationId}/${notice}/${event.sequence}`;
          expected.add(key);
          const deliveries = deliveriesOf.get(key) ?? [];
          if (paymentNotice ? deliveries.length > 1 : deliveries.length !== 1) {
            violate(`${key}: ${deliveries.length} deliveries`);
          }
          for (const delivery of deliveries) {
            if (!settledDeliveryStatuses.includes(delivery.status)) violate(`${key}: delivery is ${delivery.status}`);
            const sent = messagesOf.get(delivery.id)?.length ?? 0;
            if (sent > 1 || (delivery.status === 'delivered' && sent !== 1)) {
              violate(`${key}: delivery ${delivery.id} is ${sent} messages in e-delivery`);
            }
          }
        }
      }
      for (const key of deliveriesOf.keys()) if (!expected.has(key)) violate(`${key}: a delivery no event asked for`);
      return checked;
    }),

    invariant('per-application event order kept', (violate) => {
      const final: readonly string[] = applicationStateMachine.final;
      for (const application of snapshot.applications) {
        const events = eventsOf.get(application.id) ?? [];
        let previous: string | null = null;
        events.forEach((event, index) => {
          if (event.sequence !== index + 1)
            violate(`${application.id}: entry ${index + 1} has sequence ${event.sequence}`);
          if (event.fromStatus !== previous) {
            violate(
              `${application.id} #${event.sequence}: from ${event.fromStatus ?? '∅'}, but it was ${previous ?? '∅'}`,
            );
          } else if (previous === null) {
            if (event.toStatus !== applicationStateMachine.initial)
              violate(`${application.id} starts at ${event.toStatus}`);
          } else {
            const transition = findTransition(previous as never, event.toStatus as never);
            if (!transition)
              violate(`${application.id} #${event.sequence}: ${previous} → ${event.toStatus} is no transition`);
            else if (!(transition.actors as readonly string[]).includes(event.actorKind)) {
              violate(`${application.id} #${event.sequence}: ${previous} → ${event.toStatus} by ${event.actorKind}`);
            }
            if (final.includes(previous)) violate(`${application.id} moved on from final ${previous}`);
          }
          previous = event.toStatus;
        });
        if (previous !== application.status)
          violate(`${application.id} is ${application.status}, its timeline ends at ${previous}`);
        if (application.version !== events.length) {
          violate(`${application.id} is at version ${application.version} with ${events.length} timeline entries`);
        }
      }
      // The portal may hear a status twice (at-least-once), but never an older one first.
      const heard = new Map<string, Set<number>>();
      const highest = new Map<string, number>();
      for (const { applicationId, sequence } of snapshot.portalHeard) {
        const seen = heard.get(applicationId) ?? new Set<number>();
        heard.set(applicationId, seen);
        if (seen.has(sequence)) continue;
        seen.add(sequence);
        const top = highest.get(applicationId) ?? 0;
        if (sequence < top) violate(`the portal heard ${applicationId} #${sequence} after #${top}`);
        else highest.set(applicationId, sequence);
      }
      for (const [applicationId, events] of eventsOf) {
        const seen = heard.get(applicationId);
        const missed = events.filter((event) => !seen?.has(event.sequence)).map((event) => event.sequence);
        if (missed.length > 0) violate(`the portal never heard ${applicationId} #${missed.join(', #')}`);
      }
      return snapshot.applications.length + snapshot.portalHeard.length;
    }),

    invariant('poison messages dead-lettered, and nothing else', (violate) => {
      const lettered = groupBy(snapshot.deadLetters, (letter) => `${letter.consumerGroup}/${letter.messageId ?? ''}`);
      const expected = new Set<string>();
      for (const { messageId, groups } of snapshot.poison) {
        for (const group of groups) {
          const key = `${group}/${messageId}`;
          expected.add(key);
          const count = lettered.get(key)?.length ?? 0;
          if (count !== 1) violate(`poison message ${messageId} dead-lettered ${count} times by ${group}`);
        }
      }
      for (const [key, letters] of lettered) {
        if (!expected.has(key)) violate(`${letters.length} good message(s) dead-lettered: ${key}`);
      }
      return snapshot.poison.length + snapshot.deadLetters.length;
    }),

    invariant('bundles: no part doubled, orphaned or left hanging', (violate) => {
      const parts = snapshot.bundleParts ?? [];
      const byApplication = new Map(snapshot.applications.map((application) => [application.id, application]));
      const partOf = new Map(parts.map((part) => [`${part.requestId}/${part.partKey}`, part]));
      const stateOf = (requestId: string, key: string) => partOf.get(`${requestId}/${key}`)?.state;
      for (const part of parts) {
        const name = `bundle ${part.requestId} part ${part.partKey}`;
        const application = part.applicationId ? byApplication.get(part.applicationId) : undefined;
        if (part.applicationId && !application) violate(`${name} links a missing application`);
        if (application && application.portalApplicationId !== `${part.requestId}/${part.partKey}`) {
          violate(`${name} links ${application.id}, filed as ${application.portalApplicationId}`);
        }
        if ((part.state === 'waiting' || part.state === 'cancelled') && part.applicationId) {
          violate(`${name} is ${part.state} with an application`);
        }
        // A failed part may have none: intake refused to file it.
        if ((part.state === 'filed' || part.state === 'done') && !part.applicationId) {
          violate(`${name} is ${part.state} without an application`);
        }
        if (part.state === 'filed' && application && partDoneStatuses.includes(application.status)) {
          violate(`${name} is still filed, its application is ${application.status}`);
        }
        if (part.state === 'filed' && application && partFailedStatuses.includes(application.status)) {
          violate(`${name} is still filed, its application ended ${application.status}`);
        }
        if (part.state === 'waiting') {
          const states = part.dependsOn.map((key) => stateOf(part.requestId, key));
          if (states.every((state) => state === 'done')) violate(`${name} waits for parts that are done`);
          if (states.some((state) => state === 'failed' || state === 'cancelled')) {
            violate(`${name} waits for a part that will never be done`);
          }
        }
      }
      // An application filed under a part's portal id that no part links: filed twice, or orphaned.
      const prefixes = new Set(parts.map((part) => part.requestId));
      for (const application of snapshot.applications) {
        const slash = application.portalApplicationId.lastIndexOf('/');
        if (slash < 0 || !prefixes.has(application.portalApplicationId.slice(0, slash))) continue;
        const part = partOf.get(application.portalApplicationId);
        if (part?.applicationId !== application.id) violate(`application ${application.id} belongs to no bundle part`);
      }
      return parts.length;
    }),

    invariant('exchange log chains verify', (violate) => {
      let checked = 0;
      for (const { schema, records, publicKeys } of snapshot.exchangeLogs) {
        checked += records.length;
        const witnessedHeads = snapshot.exchangeLogHeads.filter((head) => head.service === schema);
        for (const problem of verifyChain(records, { publicKeys, witnessedHeads }).problems) {
          violate(`${schema}: ${problem.message}`);
        }
      }
      return checked;
    }),
  ];
}

/** The run's exit status: 0 only when every invariant held. */
export function exitStatus(results: InvariantResult[]): number {
  return results.some((result) => result.violations.length > 0) ? 1 : 0;
}

/** The invariants table, with the first violations of each spelled out. */
export function invariantsTable(results: InvariantResult[]): string {
  const width = Math.max(...results.map((result) => result.name.length));
  const lines = [`${'invariant'.padEnd(width)}  ${'checked'.padStart(8)}  violations`];
  for (const result of results) {
    lines.push(`${result.name.padEnd(width)}  ${String(result.checked).padStart(8)}  ${result.violations.length}`);
    for (const violation of result.violations.slice(0, shown)) lines.push(`    ✗ ${violation}`);
    if (result.violations.length > shown) lines.push(`    … ${result.violations.length - shown} more`);
  }
  return lines.join('\n');
}
