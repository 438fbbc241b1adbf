import { withIbanCheckDigits } from '@umg/catalogue';

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
] as const;

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
