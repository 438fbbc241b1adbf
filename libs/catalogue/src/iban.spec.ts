import { bicProblem, bulgarianIbanProblem, withIbanCheckDigits } from './iban';

describe('bank details', () => {
  it('accepts a Bulgarian IBAN with valid check digits', () => {
    expect(bulgarianIbanProblem('BG80BNBG96611020345678')).toBeUndefined();
    expect(bulgarianIbanProblem(withIbanCheckDigits('BG', 'SOMB91303100000005'))).toBeUndefined();
  });

  it('refuses wrong check digits, a foreign or malformed IBAN', () => {
    expect(bulgarianIbanProblem('BG81BNBG96611020345678')).toMatch(/mod-97/);
    expect(bulgarianIbanProblem('BG00SOMB91300000000005')).toMatch(/mod-97/);
    expect(bulgarianIbanProblem('DE89370400440532013000')).toMatch(/Bulgarian IBAN/);
    expect(bulgarianIbanProblem('bg80bnbg96611020345678')).toMatch(/Bulgarian IBAN/);
    expect(bulgarianIbanProblem('BG80BNBG9661102034567')).toMatch(/Bulgarian IBAN/);
  });

  it('checks a BIC', () => {
    expect(bicProblem('SOMBBGSF')).toBeUndefined();
    expect(bicProblem('UNCRBGSFXXX')).toBeUndefined();
    expect(bicProblem('SOMB')).toBeDefined();
  });
});
