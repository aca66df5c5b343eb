import type { MessagePublisher, OutgoingMessage } from '../../src/message-publisher.port';

/** Records what it publishes; `failNext(n)` makes the next n publications fail, `hold()` keeps them waiting. */
export class RecordingPublisher implements MessagePublisher {
  readonly published: OutgoingMessage[] = [];
  readonly attempts: OutgoingMessage[] = [];
  private failuresLeft = 0;
  private held: { release: () => void; promise: Promise<void> } | undefined;
  private onAttempt: (() => void) | undefined;

  async publish(message: OutgoingMessage): Promise<void> {
    this.attempts.push(message);
    this.onAttempt?.();
    if (this.held) await this.held.promise;
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('broker unavailable');
    }
    this.published.push(message);
  }

  failNext(count: number): void {
    this.failuresLeft = count;
  }

  /** Publications wait until the returned function is called. */
  hold(): () => void {
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { release, promise };
    return () => {
      this.held = undefined;
      release();
    };
  }

  /** Resolves when the next publication starts. */
  nextAttempt(): Promise<void> {
    return new Promise((resolve) => {
      this.onAttempt = () => {
        this.onAttempt = undefined;
        resolve();
      };
    });
  }

  publishedIds(): string[] {
    return this.published.map((message) => message.id ?? '');
  }
}
