import { Logger } from '@nestjs/common';

/**
 * Runs the saga's periodic work (overdue deadlines, missed starts) every `intervalMs`, one run at a
 * time. The timer is unref'd, so it never keeps a process alive; stop() waits for the run in flight.
 */
export class SagaClock {
  private readonly logger = new Logger('SagaClock');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.beat(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private beat(): void {
    // A run slower than the interval is not overlapped by the next one.
    if (this.running) return;
    this.running = this.work()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error(`saga clock: ${String(error)}`))
      .finally(() => (this.running = undefined));
  }
}
