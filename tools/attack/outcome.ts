/**
 * An exploit's verdict. refused: the exploit failed, as it should. succeeded: it worked (the run
 * fails). open: a finding not closed yet, reported honestly without failing the run. allowed: works
 * only because the system runs the development profile on loopback, by design. not_run: it could
 * not be tried here (said why). In a file of its own so every exploits-*.ts shares one definition.
 */
export type Verdict = 'refused' | 'succeeded' | 'open' | 'allowed' | 'not_run';

export interface Outcome {
  verdict: Verdict;
  detail: string;
  figures?: Record<string, number>;
}

export const refused = (detail: string, figures?: Record<string, number>): Outcome => ({
  verdict: 'refused',
  detail,
  figures,
});

export const succeeded = (detail: string, figures?: Record<string, number>): Outcome => ({
  verdict: 'succeeded',
  detail,
  figures,
});

export const notRun = (detail: string): Outcome => ({ verdict: 'not_run', detail });
