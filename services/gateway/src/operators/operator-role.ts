import { SetMetadata } from '@nestjs/common';

/** Operator roles, each allowed what the one before it is, and more. */
export const operatorRoles = ['viewer', 'operator', 'administrator'] as const;
export type OperatorRole = (typeof operatorRoles)[number];

export const REQUIRED_ROLE = 'umg:required-operator-role';

/**
 * The least role an operator route needs: `viewer` reads; `operator` may replay and pause a district;
 * `administrator` may change phases, credentials and the catalogue. Checked by OperatorAuthGuard.
 */
export const RequireRole = (role: OperatorRole) => SetMetadata(REQUIRED_ROLE, role);

export function roleAllows(held: OperatorRole, required: OperatorRole): boolean {
  return operatorRoles.indexOf(held) >= operatorRoles.indexOf(required);
}

export function isOperatorRole(value: string): value is OperatorRole {
  return (operatorRoles as readonly string[]).includes(value);
}
