import { PortalSimulator } from './portal-simulator';
import { randomSubmission, type SubmissionOptions } from './submission-factory';

/**
 * Demo traffic for the Quick start: a steady trickle of realistic applications into the pilot
 * districts, with the status updates the gateway sends back printed as they arrive.
 */
export async function runDemoTraffic(
  brokers: string[],
  perMinute: number,
  print: (line: string) => void,
  /** Where the next application goes; by default a pilot district and any of its services. */
  target: () => SubmissionOptions = () => ({}),
): Promise<() => Promise<void>> {
  const portal = new PortalSimulator(brokers);
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
  const timer = setInterval(() => {
    const submission = randomSubmission(target());
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
