import type { KafkaConnection } from '@umg/messaging';
import { EDeliveryControl } from '../e-delivery/e-delivery-control';
import { simulatedUnitIdentifier } from '../e-delivery/unit-identifier';
import { portalFiling } from './e-delivery-filing';
import { PortalSimulator } from './portal-simulator';
import { randomSubmission, type SubmissionOptions } from './submission-factory';

/**
 * Demo traffic for the Quick start: a steady trickle of realistic applications into the pilot
 * districts, with the status updates the gateway sends back printed as they arrive. Districts whose
 * e-delivery inbox the gateway reads get them as the portal sends them, as e-delivery messages on
 * the applicant's behalf; the others on the internal Kafka seam.
 */
export async function runDemoTraffic(
  /** The portal's Kafka identity. */
  connection: KafkaConnection,
  perMinute: number,
  print: (line: string) => void,
  /** Where the next application goes; by default a pilot district and any of its services. */
  target: () => SubmissionOptions = () => ({}),
  eDelivery?: { url: string; districts: string[] },
): Promise<() => Promise<void>> {
  const portal = new PortalSimulator(connection);
  await portal.start();
  portal.onStatus((message) => {
    if (message.type === 'status-changed') {
      const { portalApplicationId, districtCode, previousStatus, status } = message.body;
      print(`portal ← ${portalApplicationId} (${districtCode}): ${previousStatus ?? '∅'} → ${status}`);
    } else {
      const codes = message.body.reasons.map((reason) => reason.code).join(', ');
      print(`portal ← ${message.body.portalApplicationId}: rejected (${codes})`);
    }
  });
  const inboxes = eDelivery ? new EDeliveryControl(eDelivery.url) : undefined;
  const timer = setInterval(() => {
    const submission = randomSubmission(target());
    if (inboxes && eDelivery?.districts.includes(submission.districtCode)) {
      void portalFiling(submission, simulatedUnitIdentifier(submission.districtCode))
        .then(async (filing) => {
          await inboxes.deposit(filing);
          print(
            `portal → ${filing.orn} via e-delivery: service ${submission.serviceNumber} in ${submission.districtCode}`,
          );
        })
        .catch((error: unknown) => print(`demo filing failed: ${String(error)}`));
      return;
    }
    print(
      `portal → ${submission.portalApplicationId}: service ${submission.serviceNumber} in ${submission.districtCode}`,
    );
    portal.submit(submission).catch((error: unknown) => print(`demo submission failed: ${String(error)}`));
  }, 60_000 / perMinute);
  return async () => {
    clearInterval(timer);
    await portal.stop();
  };
}
