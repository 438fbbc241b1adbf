import type { OperatorRole } from './operator-role';

/**
 * A signed-in operator, on `request.user` of every operator route (the exchange log records who
 * did what from it).
 */
export interface OperatorPrincipal {
  username: string;
  role: OperatorRole;
}
