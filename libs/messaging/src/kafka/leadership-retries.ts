/**
 * Partition leadership of a topic created moments ago (a fresh broker, the first start of a
 * service) may not be settled: kafkajs' offset listing then fails with a retriable NOT_LEADER error,
 * and a metadata read (a subscription) with a retriable "does not host this topic-partition".
 */
export async function withLeadershipRetries<T>(
  read: () => Promise<T>,
  attempts = 10,
  delayMs = 500,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const retriable = (error as { retriable?: boolean }).retriable === true;
      if (!retriable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
