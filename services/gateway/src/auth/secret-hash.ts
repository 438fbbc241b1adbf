import { randomBytes, scrypt, type ScryptOptions, timingSafeEqual } from 'node:crypto';
import { AuthenticationError, AuthenticationErrorCode } from './authentication-error';
import { HashingSlots } from './hashing-slots';

interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/**
 * Operator passwords: one of OWASP's scrypt settings (N=2^14, r=8, p=5). It is as strong as
 * N=2^17 with p=1 but needs 16 MiB instead of 128 MiB, which a gateway pod's memory limit allows
 * for several sign-ins at once.
 */
export const passwordCost: ScryptCost = { N: 16_384, r: 8, p: 5 };
/** Client secrets are 256 random bits, not guessable at any cost; a lighter hash keeps `/oauth/token` cheap. */
const clientSecretCost: ScryptCost = { N: 16_384, r: 8, p: 1 };
const keyLength = 32;

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret.normalize('NFKC'), salt, keyLength, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

async function hashWith(secret: string, cost: ScryptCost): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(secret, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** A client secret as stored: `scrypt$N$r$p$salt$hash` (base64url), never the secret itself. */
export function hashSecret(secret: string): Promise<string> {
  return hashWith(secret, clientSecretCost);
}

/** An operator password as stored, at `passwordCost`. */
export function hashPassword(password: string): Promise<string> {
  return hashWith(password, passwordCost);
}

/** Whether a stored password hash was made with other parameters than today's: rehash it at the next sign-in. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$');
  return (
    scheme !== 'scrypt' || Number(n) !== passwordCost.N || Number(r) !== passwordCost.r || Number(p) !== passwordCost.p
  );
}

/**
 * Every presented secret and password checked in this process shares these slots: scrypt runs on
 * libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), which DNS lookups and
 * file I/O need too, so hashing may hold at most half of it, and only a few more checks may wait.
 */
const threadPool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
export const hashingSlots = new HashingSlots(Math.max(1, Math.floor(threadPool / 2)), 8);

/**
 * Checks a presented secret against a stored hash in constant time; a malformed hash never matches.
 * Throws AuthenticationError(authentication_busy) when the hashing slots and their queue are full.
 */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await hashingSlots.run(
    () => derive(secret, Buffer.from(salt, 'base64url'), { N: Number(n), r: Number(r), p: Number(p) }),
    () =>
      new AuthenticationError(
        AuthenticationErrorCode.AuthenticationBusy,
        'too many credential checks at once',
        undefined,
        1,
      ),
  );
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
