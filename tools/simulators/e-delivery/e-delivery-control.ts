import type {
  EDeliveryBehaviour,
  EDeliveryStats,
  IntegrationLogin,
  SimulatedMessage,
  SimulatedSubject,
} from './e-delivery-simulator';

/** A message as the simulator's control routes show it (documents without their content). */
export type SimulatedMessageView = Omit<SimulatedMessage, 'documents'> & {
  documents: Omit<SimulatedMessage['documents'][number], 'content'>[];
};

/** Steers and inspects a running e-delivery simulator over HTTP (its `/_sim/*` routes). */
export class EDeliveryControl {
  constructor(private readonly baseUrl: string) {}

  async setBehaviour(behaviour: Partial<EDeliveryBehaviour>): Promise<EDeliveryBehaviour> {
    return this.call<EDeliveryBehaviour>('PUT', '/_sim/behaviour', behaviour);
  }

  async registerSubject(subject: Partial<SimulatedSubject> & { identifier: string }): Promise<SimulatedSubject> {
    return this.call<SimulatedSubject>('POST', '/_sim/subjects', subject);
  }

  async registerLogin(certificatePem: string, identifier: string, name: string): Promise<IntegrationLogin> {
    return this.call<IntegrationLogin>('POST', '/_sim/logins', { certificatePem, identifier, name });
  }

  /** Puts a message from a person or company into an institution's inbox (the portal filing on their behalf). */
  async deposit(message: {
    sender: { identifier: string; name: string };
    receiverIdentifier: string;
    title: string;
    documents: { name: string; contentType?: string; contentBase64: string }[];
  }): Promise<SimulatedMessageView> {
    return this.call<SimulatedMessageView>('POST', '/_sim/deposits', message);
  }

  /** The messages a person, company or institution has been sent, oldest first. */
  async inbox(identifier: string): Promise<SimulatedMessageView[]> {
    return (await this.call<{ items: SimulatedMessageView[] }>('GET', `/_sim/inbox/${encodeURIComponent(identifier)}`))
      .items;
  }

  async messages(): Promise<SimulatedMessageView[]> {
    return (await this.call<{ items: SimulatedMessageView[] }>('GET', '/_sim/messages')).items;
  }

  async stats(): Promise<EDeliveryStats> {
    return this.call('GET', '/_sim/stats');
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
