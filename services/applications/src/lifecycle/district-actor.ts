import { type ActorClaim, callerNotAllowed } from '@umg/platform';
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
