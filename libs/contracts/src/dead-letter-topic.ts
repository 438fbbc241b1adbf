import { kafkaTopicParameters, kafkaTopics } from './generated/kafka';

export type DeadLetterService = (typeof kafkaTopicParameters.deadLetter.service)[number];

/** The dead-letter topic of a service, e.g. `applications.dead-letter`. */
export function deadLetterTopic(service: DeadLetterService): string {
  return kafkaTopics.deadLetter.replace('{service}', service);
}

/** The topic of a service's replays of its own dead letters, e.g. `applications.replay`. */
export function replayTopic(service: DeadLetterService): string {
  return kafkaTopics.replay.replace('{service}', service);
}
