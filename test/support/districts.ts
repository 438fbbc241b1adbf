import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { type BackOfficeDecision, kafkaTopics } from '@umg/contracts';
import { findDistrict } from '@umg/catalogue';
import { demoBankDetails } from '../../tools/dev/demo-onboarding';
import type { ApiAnswer } from './district-api';
import { asGateway, testOperator } from './service-identity';
import { testEnv } from './test-env';

export const districtsUrl = required('TEST_DISTRICTS_URL');
export const backOfficeUrls = {
  json: required('TEST_BACK_OFFICE_JSON_URL'),
  soap: required('TEST_BACK_OFFICE_SOAP_URL'),
  soap12: required('TEST_BACK_OFFICE_SOAP12_URL'),
  nestedJson: required('TEST_BACK_OFFICE_NESTED_JSON_URL'),
};

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests with "npm test"`);
  return value;
}

async function call<T>(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer<T>> {
  const response = await fetch(url, {
    method,
    headers: { ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** The districts service's operator API, called as the gateway calls it for a signed-in operator. */
export async function operatorApi<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  operator = 'op-ivanova',
): Promise<ApiAnswer<T>> {
  return call<T>(
    `${districtsUrl}${path}`,
    method,
    body,
    await asGateway('districts', operator ? testOperator(operator) : undefined),
  );
}

/** The district confirms its bank details, as it must before it leaves onboarding. */
export async function confirmBankDetails(code: string): Promise<void> {
  const answer = await operatorApi('PATCH', `/internal/v1/districts/${code}/profile`, {
    bank: demoBankDetails(findDistrict(code)!.no),
    reason: 'the district confirmed the account its fees are paid into',
  });
  if (answer.status !== 200)
    throw new Error(`bank details of ${code}: ${answer.status} ${JSON.stringify(answer.body)}`);
}

export interface Registration {
  applicationId: string;
  kind: string;
  serviceCode: string;
  registrationNumber: string | null;
  received: number;
}

/** Failure injection and inspection of the simulated back offices. */
export const backOffice = {
  async setMode(style: keyof typeof backOfficeUrls, district: string, mode: string, delayMs?: number): Promise<void> {
    const answer = await call(`${backOfficeUrls[style]}/_control/${district}`, 'POST', { mode, delayMs });
    if (answer.status !== 200) throw new Error(`could not set ${district} to ${mode}`);
  },
  /** The district's secret as its back office holds it (a newly onboarded district, or a rotation). */
  async setSecret(style: keyof typeof backOfficeUrls, district: string, secret: string): Promise<void> {
    const answer = await call(`${backOfficeUrls[style]}/_secrets/${district}`, 'PUT', { secret });
    if (answer.status !== 200) throw new Error(`could not set the secret of ${district}`);
  },
  async registrations(style: keyof typeof backOfficeUrls, district: string): Promise<Registration[]> {
    return (await call<Registration[]>(`${backOfficeUrls[style]}/_registrations/${district}`, 'GET')).body;
  },
};

/** Reads `districts.back-office-decisions` as the applications service would. */
export class DecisionListener {
  readonly decisions: BackOfficeDecision[] = [];
  private consumer: Consumer | undefined;

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: 'decision-listener',
      ...testEnv.kafkaClient('admin'),
      logLevel: logLevel.NOTHING,
    });
    this.consumer = kafka.consumer({ groupId: `decision-listener-${randomUUID()}` });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: kafkaTopics.districtsBackOfficeDecisions, fromBeginning: false });
    const joined = new Promise<void>((resolve) => this.consumer!.on(this.consumer!.events.GROUP_JOIN, () => resolve()));
    await this.consumer.run({
      eachMessage: async ({ message }) => {
        this.decisions.push(JSON.parse(message.value!.toString()) as BackOfficeDecision);
      },
    });
    await joined;
  }

  of(applicationId: string): BackOfficeDecision[] {
    return this.decisions.filter((decision) => decision.applicationId === applicationId);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
