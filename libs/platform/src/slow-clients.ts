import type { Server } from 'node:http';
import { answerClientError } from './client-error';

/**
 * Every server of a service, whoever it is for: slow or stalled clients must not hold sockets open
 * forever, and requests Node cannot parse are answered as problems.
 */
export function limitSlowClients(server: Server): void {
  server.on('clientError', answerClientError);
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
}
