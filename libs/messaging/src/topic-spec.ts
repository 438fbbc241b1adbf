/** A topic the project owns, created with the partition count it needs. */
export interface TopicSpec {
  name: string;
  partitions: number;
  config?: Record<string, string>;
}
