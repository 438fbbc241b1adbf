import { createHash, createHmac } from 'node:crypto';

/**
 * The token in a delivered result's feedback link. The delivery service writes it into the final
 * notice and the applications service opens the invitation with its hash, without talking to each
 * other: both key an HMAC-SHA256 of the application id with the shared FEEDBACK_TOKEN_SECRET. The
 * same application always gets the same token, so a notice rebuilt for a retried send carries the
 * link the applicant may already hold; without the secret it cannot be guessed (256 bits).
 */
export function feedbackToken(secret: string, applicationId: string): string {
  return createHmac('sha256', secret).update(`feedback-invitation:${applicationId}`).digest('base64url');
}

/** What is stored and looked up: the token's SHA-256, lower-case hex (the token itself never is). */
export function feedbackTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** 43 characters of base64url: the shape of every token; anything else is answered 404 at once. */
export const feedbackTokenPattern = /^[A-Za-z0-9_-]{43}$/;
