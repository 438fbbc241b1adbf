import { withIbanCheckDigits } from '@umg/catalogue';

/**
 * The Quick start's rollout story: besides the four live pilots, one district of each other
 * adapter style goes through onboarding → conformance → pilot when the demo starts, through the
 * districts service's operator API, exactly as an operator would: Sredets (JSON push) and
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

const operator = 'demo-onboarding';

async function call<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'X-Operator-Id': operator, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const answer = (await response.json()) as T;
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function waitForVerdict(districtsUrl: string, code: string, run: Run, timeoutMs: number): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  let current = run;
  while (current.status === 'running' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const runs = await call<Run[]>(districtsUrl, 'GET', `/internal/v1/districts/${code}/conformance-runs`);
    current = runs.find((candidate) => candidate.id === run.id) ?? current;
  }
  return current;
}

/** Takes one district to pilot; returns whether it is taking applications. */
export async function onboardDistrict(
  districtsUrl: string,
  code: string,
  print: (line: string) => void,
): Promise<boolean> {
  const district = await call<District>(districtsUrl, 'GET', `/internal/v1/districts/${code}`);
  if (district.phase === 'pilot' || district.phase === 'live') return true;
  if (district.phase === 'not_started') {
    await call(districtsUrl, 'POST', `/internal/v1/districts/${code}/phase`, {
      phase: 'onboarding',
      reason: 'demo: the district connects its back office',
    });
    print(`rollout: ${code} → onboarding`);
  }
  if (district.bank.placeholder) {
    await call(districtsUrl, 'PATCH', `/internal/v1/districts/${code}/profile`, {
      bank: demoBankDetails(district.no),
      reason: 'demo: the district confirmed the account its fees are paid into',
    });
    print(`rollout: ${code} bank details confirmed`);
  }
  const started = await call<Run>(districtsUrl, 'POST', `/internal/v1/districts/${code}/conformance-runs`);
  // A pull district's client needs a polling round or two to work the sandbox application.
  const run = await waitForVerdict(districtsUrl, code, started, 120_000);
  print(
    `rollout: ${code} conformance ${run.status} (${run.checks.map((check) => `${check.name} ${check.passed ? '✓' : '✗'}`).join(', ')})`,
  );
  if (run.status !== 'passed') return false;
  await call(districtsUrl, 'POST', `/internal/v1/districts/${code}/phase`, {
    phase: 'pilot',
    reason: 'demo: conformance passed',
  });
  for (const serviceNumber of pilotServices) {
    await call(districtsUrl, 'PUT', `/internal/v1/districts/${code}/services/${serviceNumber}`, {
      enabled: true,
      reason: 'demo: first services of the pilot',
    });
  }
  print(`rollout: ${code} → pilot with services ${pilotServices.join(', ')}`);
  return true;
}
