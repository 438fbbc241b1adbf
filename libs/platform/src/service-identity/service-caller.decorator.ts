import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { RequestWithCaller } from './service-identity.guard';
import type { ActorClaim, OperatorClaim, ServiceCaller } from './service-token';
import { callerNotAllowed } from './service-token-verifier';

/** The verified calling service (set by the service-identity guard). */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): ServiceCaller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().serviceCaller;
  if (!caller) throw callerNotAllowed('no verified caller');
  return caller;
});

/**
 * The operator a route acts for, from the gateway's signed claim only (never a header): who goes
 * into the audit. A call without the claim is refused, since an operator action needs a who.
 */
export const ActingOperator = createParamDecorator((_: unknown, context: ExecutionContext): OperatorClaim => {
  const operator = context.switchToHttp().getRequest<RequestWithCaller>().serviceCaller?.operator;
  if (!operator) throw callerNotAllowed('this route acts for an operator: the token must carry the operator claim');
  return operator;
});

/** The district system a route acts for, from the gateway's signed claim only. */
export const ActingDistrict = createParamDecorator((_: unknown, context: ExecutionContext): ActorClaim => {
  const actor = context.switchToHttp().getRequest<RequestWithCaller>().serviceCaller?.actor;
  if (!actor) throw callerNotAllowed('this route acts for a district: the token must carry the actor claim');
  return actor;
});
