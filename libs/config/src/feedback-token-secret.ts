import { z } from 'zod';
import { ConfigError } from './config-error';

export const developmentFeedbackTokenSecret = 'development-feedback-token-secret-0000';

/** Shared by the delivery service (writes the link) and the applications service (opens the invitation). */
export const feedbackTokenSecretSchema = z
  .string()
  .min(32)
  .default(developmentFeedbackTokenSecret)
  .describe(
    'Key of the feedback links’ tokens (HMAC-SHA256 of the application id); shared by the delivery and applications services only. At least 32 characters. Changing it makes the links already sent unusable.',
  );

/** A production process refuses the development key: with it anyone could answer for any application. */
export function refuseDevelopmentFeedbackTokenSecret(config: {
  NODE_ENV: string;
  FEEDBACK_TOKEN_SECRET: string;
}): void {
  if (config.NODE_ENV === 'production' && config.FEEDBACK_TOKEN_SECRET === developmentFeedbackTokenSecret) {
    throw new ConfigError(['FEEDBACK_TOKEN_SECRET: set a secret key in production']);
  }
}
