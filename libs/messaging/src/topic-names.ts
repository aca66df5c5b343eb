/** Where messages of `topic` that fail their schema, cannot be parsed or exhaust their retries are parked. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}
