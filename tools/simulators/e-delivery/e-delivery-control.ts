import type { EDeliveryBehaviour, SimulatedMessage, SimulatedProfile } from './e-delivery-simulator';

/** Steers and inspects a running e-delivery simulator over HTTP (its `/_sim/*` routes). */
export class EDeliveryControl {
  constructor(private readonly baseUrl: string) {}

  async setBehaviour(behaviour: Partial<EDeliveryBehaviour>): Promise<EDeliveryBehaviour> {
    return this.call<EDeliveryBehaviour>('PUT', '/_sim/behaviour', behaviour);
  }

  async registerProfile(profile: Partial<SimulatedProfile> & { profileId: string }): Promise<SimulatedProfile> {
    return this.call<SimulatedProfile>('POST', '/_sim/profiles', profile);
  }

  async inbox(profileId: string): Promise<SimulatedMessage[]> {
    return (await this.call<{ items: SimulatedMessage[] }>('GET', `/_sim/inbox/${encodeURIComponent(profileId)}`))
      .items;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`e-delivery simulator ${method} ${path}: ${response.status}`);
    return (await response.json()) as T;
  }
}
