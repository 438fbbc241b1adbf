import type { Actor } from './application-status';

/** The district system acting, as the gateway names it in X-Actor-Id. */
export function districtActor(districtCode: string, actorId: string | undefined): Actor {
  const id = actorId && /^[A-Za-z0-9._:-]{1,128}$/.test(actorId) ? actorId : `${districtCode}:unknown-client`;
  return { kind: 'district', id };
}
