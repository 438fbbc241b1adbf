import { randomInt } from 'node:crypto';

const weights = [2, 4, 8, 5, 10, 9, 7, 3, 6];

/** A random, checksum-valid ЕГН (Bulgarian personal number) of a person born 1940–1999. */
export function randomEgn(): string {
  const year = randomInt(40, 100);
  const month = randomInt(1, 13);
  const day = randomInt(1, 29);
  const serial = randomInt(0, 1000);
  const digits = `${pad(year)}${pad(month)}${pad(day)}${String(serial).padStart(3, '0')}`;
  const sum = weights.reduce((total, weight, index) => total + weight * Number(digits[index]), 0);
  return `${digits}${(sum % 11) % 10}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
