import { isValidBIC, isValidIBAN } from 'ibantools';

/** ISO 13616 check digits for a BBAN: placeholders pass the same checks as real accounts. */
export function withIbanCheckDigits(country: string, bban: string): string {
  const rearranged = `${bban}${country}00`.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  const check = 98n - (BigInt(rearranged) % 97n);
  return `${country}${check.toString().padStart(2, '0')}${bban}`;
}

/** Why an IBAN cannot take a Bulgarian district's fees, or undefined when it can (format and mod-97). */
export function bulgarianIbanProblem(iban: string): string | undefined {
  if (!/^BG\d{2}[A-Z]{4}\d{6}[A-Z0-9]{8}$/.test(iban)) {
    return 'expected a Bulgarian IBAN: BG, 2 check digits, 4-letter bank code, 6 digits, 8 letters or digits (22 characters)';
  }
  return isValidIBAN(iban) ? undefined : 'the check digits do not match (mod-97)';
}

/** Why a BIC is not valid, or undefined when it is (8 or 11 characters, the country's code inside). */
export function bicProblem(bic: string): string | undefined {
  return isValidBIC(bic) ? undefined : 'expected a BIC of 8 or 11 characters';
}
