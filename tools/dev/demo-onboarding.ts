import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withIbanCheckDigits } from '@umg/catalogue';
import {
  nestedJsonOfficeMapping,
  nestedJsonOfficeSamples,
} from '../simulators/district-back-office/nested-json-office.profile';

/**
 * The Quick start's rollout story: besides the four live pilots, one district of each other
 * adapter style goes through onboarding → conformance → pilot when the demo starts, through the
 * gateway's operator API, exactly as an operator would: Sredets (JSON push) and
 * Oborishte (SOAP push) against the simulated back offices, and Lozenets (pull) whose client
 * passes the conformance sandbox. Safe to repeat: a district already in pilot is left alone.
 */
export const demoOnboarding = [
  { code: 'sredets', style: 'push_json' },
  { code: 'oborishte', style: 'push_soap' },
  { code: 'lozenets', style: 'pull' },
  { code: 'mladost', style: 'push_json' },
  { code: 'izgrev', style: 'push_soap' },
] as const;

/** Where the demo's simulated back offices listen (the local system's BACK_OFFICE_*_URL). */
export interface DemoBackOfficeUrls {
  nestedJson: string;
  soap12: string;
}

/**
 * Back offices the profiles file does not know, configured through the operator API alone, as an
 * operator onboards a district (issue 18): Mladost's JSON office with its own nested schema (a
 * JSONata mapping with samples) and Izgrev's SOAP 1.2 office with WS-Security and MTOM results
 * (docs/examples/izgrev-soap-profile.json). Development secrets only.
 */
function configuredBackOffices(
  urls: DemoBackOfficeUrls,
): Record<string, { url: string; profile: object; unit: string }> {
  const izgrev = readFileSync(join(process.cwd(), 'docs/examples/izgrev-soap-profile.json'), 'utf8');
  return {
    mladost: {
      url: urls.nestedJson,
      unit: '0006963270113',
      profile: {
        adapterStyle: 'push_json',
        endpoint: `${urls.nestedJson}/nested/mladost/zaiavlenia`,
        mapping: nestedJsonOfficeMapping,
        mappingSamples: nestedJsonOfficeSamples,
        reason: 'demo: the back office’s own JSON schema, by mapping',
      },
    },
    izgrev: {
      url: urls.soap12,
      unit: '0006963270108',
      profile: JSON.parse(izgrev.replace('${BACK_OFFICE_SOAP12_URL}', urls.soap12)) as object,
    },
  };
}

/**
 * Gives a district of configuredBackOffices its profile, secret and e-delivery unit before its
 * conformance run, and always tells the (restarted) simulator the secret. A district with no
 * such back office is left alone.
 */
export async function configureBackOffice(
  session: OperatorSession,
  code: string,
  urls: DemoBackOfficeUrls,
  print: (line: string) => void,
): Promise<void> {
  const office = configuredBackOffices(urls)[code];
  if (!office) return;
  const secret = `dev-back-office-secret-${code}-0000`;
  const simulator = await fetch(`${office.url}/_secrets/${code}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ secret }),
  });
  if (!simulator.ok) throw new Error(`the ${code} back office simulator refused its secret: ${simulator.status}`);
  const { district } = await call<Overview>(session, 'GET', `/districts/${code}`);
  if (district.phase === 'pilot' || district.phase === 'live') return;
  await call(session, 'PATCH', `/districts/${code}/profile`, office.profile);
  await call(session, 'PUT', `/districts/${code}/secret`, {
    secret,
    reason: 'demo: the secret agreed with the office',
  });
  await call(session, 'PUT', `/districts/${code}/e-delivery`, {
    unitIdentifier: office.unit,
    certificateThumbprint: null,
    signingKeyRef: 'default',
    reason: 'demo: the district’s unit in e-delivery',
  });
  print(`rollout: ${code} back office configured through the operator API (mapping, secret, e-delivery unit)`);
}

/** Services the onboarded districts start their pilot with (IISDA numbers; Oborishte maps them to its own codes). */
export const pilotServices = [2079, 2107, 2016, 2109];

interface District {
  code: string;
  no: number;
  phase: string;
  bank: { placeholder: boolean };
}

/**
 * Bank details a district confirms during onboarding (a district cannot leave onboarding with the
 * seeded placeholders). Demo values: a made-up account at UniCredit Bulbank with valid check
 * digits and the district's number in it.
 */
export function demoBankDetails(districtNo: number) {
  return {
    iban: withIbanCheckDigits('BG', `UNCR7000${String(districtNo).padStart(10, '0')}`),
    bic: 'UNCRBGSF',
    bankName: 'УниКредит Булбанк АД',
    placeholder: false,
  };
}
interface Run {
  id: number;
  status: 'running' | 'passed' | 'failed';
  checks: { name: string; passed: boolean; detail: string }[];
}

interface Overview {
  district: District;
  conformanceRuns: Run[];
}

/** The demo's administrator account (a demo account: refused at sign-in outside development and test). */
export const demoAdministrator = { username: 'demo-administrator', password: 'demo-administrator-password' };

/**
 * Signs the demo administrator in at the gateway's operator API and returns the session cookie:
 * the demo changes districts the way an operator does, through the gateway (never the districts
 * service directly), so every change is role-checked and audited with who and why.
 */
export async function demoOperatorSession(gatewayUrl: string): Promise<OperatorSession> {
  const response = await fetch(`${gatewayUrl}/operator/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(demoAdministrator),
    signal: AbortSignal.timeout(30_000),
  });
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0];
  if (response.status !== 201 || !cookie) throw new Error(`demo sign-in answered ${response.status}`);
  return { gatewayUrl, cookie };
}

/** An operator's session at the gateway. */
export interface OperatorSession {
  gatewayUrl: string;
  cookie: string;
}

async function call<T>(session: OperatorSession, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${session.gatewayUrl}/operator/v1${path}`, {
    method,
    headers: { Cookie: session.cookie, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const answer = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function waitForVerdict(session: OperatorSession, code: string, run: Run, timeoutMs: number): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  let current = run;
  while (current.status === 'running' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const { conformanceRuns } = await call<Overview>(session, 'GET', `/districts/${code}`);
    current = conformanceRuns.find((candidate) => candidate.id === run.id) ?? current;
  }
  return current;
}

/** Takes one district to pilot through the gateway's operator API; returns whether it is taking applications. */
export async function onboardDistrict(
  session: OperatorSession,
  code: string,
  print: (line: string) => void,
): Promise<boolean> {
  const { district } = await call<Overview>(session, 'GET', `/districts/${code}`);
  if (district.phase === 'pilot' || district.phase === 'live') return true;
  if (district.phase === 'not_started') {
    await call(session, 'POST', `/districts/${code}/phase`, {
      phase: 'onboarding',
      reason: 'demo: the district connects its back office',
    });
    print(`rollout: ${code} → onboarding`);
  }
  if (district.bank.placeholder) {
    await call(session, 'PUT', `/districts/${code}/payee`, {
      bank: demoBankDetails(district.no),
      reason: 'demo: the district confirmed the account its fees are paid into',
    });
    print(`rollout: ${code} bank details confirmed`);
  }
  const started = await call<Run>(session, 'POST', `/districts/${code}/conformance-runs`);
  // A pull district's client needs a polling round or two to work the sandbox application.
  const run = await waitForVerdict(session, code, started, 120_000);
  print(
    `rollout: ${code} conformance ${run.status} (${run.checks.map((check) => `${check.name} ${check.passed ? '✓' : '✗'}`).join(', ')})`,
  );
  if (run.status !== 'passed') return false;
  await call(session, 'POST', `/districts/${code}/phase`, {
    phase: 'pilot',
    reason: 'demo: conformance passed',
  });
  for (const serviceNumber of pilotServices) {
    await call(session, 'PUT', `/districts/${code}/services/${serviceNumber}`, {
      enabled: true,
      reason: 'demo: first services of the pilot',
    });
  }
  print(`rollout: ${code} → pilot with services ${pilotServices.join(', ')}`);
  return true;
}
