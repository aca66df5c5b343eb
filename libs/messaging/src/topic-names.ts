/** Where messages of `topic` that fail their schema, cannot be parsed or exhaust their retries are parked. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

/** Where a message of `topic` waits for its `retry`-th retry (1, 2, …) after its handler failed. */
export function retryTopicOf(topic: string, retry: number): string {
  return `${topic}.retry.${retry}`;
}

/** The retry topics of `topic` when a message is tried at most `maxAttempts` times: one per retry. */
export function retryTopicsOf(topic: string, maxAttempts: number): string[] {
  return Array.from({ length: Math.max(0, maxAttempts - 1) }, (_, index) => retryTopicOf(topic, index + 1));
}
