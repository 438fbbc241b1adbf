import { type ActorClaim, callerNotAllowed, type ServiceCaller } from '@umg/platform';
import type { Actor } from './application-status';

/**
 * The district system acting, from the gateway's signed `actor` claim only (never a header): a
 * decision without one, or for another district than the path names, is refused.
 */
export function districtActor(districtCode: string, claim: ActorClaim | undefined): Actor {
  if (!claim) throw callerNotAllowed('a district decision must carry the acting district (the actor claim)');
  if (claim.districtCode !== districtCode) {
    throw callerNotAllowed(`the token acts for district ${claim.districtCode}, not ${districtCode}`);
  }
  return { kind: 'district', id: claim.clientId };
}

/**
 * Who makes a decision: the district's client, or an operator acting on the district's behalf
 * (a viewer may not). Which steps an operator may take is the state machine's to say.
 */
export function decisionActor(districtCode: string, caller: ServiceCaller | undefined): Actor {
  const operator = caller?.operator;
  if (operator) {
    if (operator.role === 'viewer') throw callerNotAllowed('a viewer may not act on a district’s behalf');
    return { kind: 'operator', id: operator.id };
  }
  return districtActor(districtCode, caller?.actor);
}
