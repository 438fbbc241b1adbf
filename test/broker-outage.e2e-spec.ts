import type { ApplicationStatusChanged } from '@umg/contracts';
import { PortalSimulator } from '../tools/simulators/portal/portal-simulator';
import { randomSubmission } from '../tools/simulators/portal/submission-factory';
import { eventually } from './support/database';
import { brokerCommand } from './support/kafka-broker';
import { managementUrl, testEnv } from './support/test-env';

interface Readiness {
  status: number;
  body: { status: string; checks: Record<string, { status: string; detail?: string }> };
}

/** The gateway's readiness with each check: on its management port (the public one says only up or down). */
async function readiness(): Promise<Readiness> {
  try {
    const response = await fetch(`${managementUrl('gateway')}/health/ready`, { signal: AbortSignal.timeout(5_000) });
    return { status: response.status, body: (await response.json()) as Readiness['body'] };
  } catch (error) {
    return { status: 0, body: { status: 'unreachable', checks: { fetch: { status: String(error) } } } };
  }
}

/** Killing the broker makes readiness fail; the services recover by themselves when it returns. */
describe('broker outage', () => {
  it('reports not ready while Kafka is down and recovers without restarts', async () => {
    expect((await readiness()).status).toBe(200);

    brokerCommand('kill9');
    const down = await eventually(readiness, (answer) => answer.status === 503, 60_000);
    expect(down.body.checks.kafka?.status).toBe('down');
    expect(down.body.checks.postgres?.status).toBe('up');

    brokerCommand('start');
    await eventually(readiness, (answer) => answer.status === 200, 90_000);

    // The applications service consumes and publishes again: a new submission goes all the way.
    const portal = new PortalSimulator(testEnv.kafkaAs('portal'));
    await portal.start();
    try {
      const submission = randomSubmission({ districtCode: 'bankya' });
      const routed = portal.waitFor(
        (message) =>
          message.type === 'status-changed' &&
          message.body.portalApplicationId === submission.portalApplicationId &&
          message.body.status === 'routed',
        90_000,
      );
      await portal.submit(submission);
      expect(((await routed).body as ApplicationStatusChanged).districtCode).toBe('bankya');
    } finally {
      await portal.stop();
    }
  });
});
