import { kafkaTopicParameters, kafkaTopics } from './generated/kafka';

export type DeadLetterService = (typeof kafkaTopicParameters.deadLetter.service)[number];

/** The dead-letter topic of a service, e.g. `applications.dead-letter`. */
export function deadLetterTopic(service: DeadLetterService): string {
  return kafkaTopics.deadLetter.replace('{service}', service);
}
