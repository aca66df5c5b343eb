import { type BeforeApplicationShutdown, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AuthenticatedUser } from '@platform/auth';
import { ProblemException } from '@platform/http';
import { isFinalStatus } from '../domain/order';
import type { OrderView } from '../domain/order-view';
import type { GetOrder } from '../get-order/get-order';
import type { OrderStatusChanges } from './order-status-changes.port';
import { frameOf, heartbeatFrame, lastEventIdOf, statusEventsAfter } from './status-events';

export interface OrderEventStreamSettings {
  /** How often an open stream reads the order again unasked, for a lost notification (ORDER_EVENTS_POLL_MS). */
  pollMs: number;
  /** How often an idle stream sends a comment (ORDER_EVENTS_HEARTBEAT_MS). */
  heartbeatMs: number;
  /** Streams one user may hold open on this instance at once (ORDER_EVENTS_MAX_STREAMS_PER_USER). */
  maxStreamsPerUser: number;
}

/** How long a refused client is asked to wait: streams end with their order, usually within seconds. */
const retryStreamAfterSeconds = 10;

/**
 * The open `/events` streams. Each reads its order again when told it changed (any instance may
 * have moved the saga: `OrderStatusChanges` hears of them all), and every `pollMs` in case a
 * notification was lost; it sends each status change once, and ends after a final status, when
 * the client goes away, or when the app shuts down (an open stream would keep the server closing).
 * Each holds a connection and timers for as long as its order is pending, so a user may hold only
 * `maxStreamsPerUser` at once on an instance; more answer 429 until one ends.
 */
export class OrderEventStreams implements BeforeApplicationShutdown {
  private readonly logger = new Logger('OrderEventStreams');
  private readonly open = new Set<() => void>();
  private readonly openByUser = new Map<string, number>();

  constructor(
    private readonly getOrder: GetOrder,
    private readonly changes: OrderStatusChanges,
    private readonly settings: OrderEventStreamSettings,
  ) {}

  /**
   * Answers with the stream, once the caller may see the order.
   * @throws the 404 of GetOrder, or 429 when the user holds too many streams, before anything is written
   */
  async stream(
    orderId: string,
    user: AuthenticatedUser,
    request: Request,
    response: Response,
  ): Promise<void> {
    const first = await this.getOrder.execute(orderId, user);
    const held = this.openByUser.get(user.id) ?? 0;
    if (held >= this.settings.maxStreamsPerUser) {
      throw new ProblemException({
        status: 429,
        type: 'too-many-streams',
        detail: `At most ${this.settings.maxStreamsPerUser} order event streams may be open at once; close one or wait for an order to end.`,
        headers: { 'Retry-After': String(retryStreamAfterSeconds) },
      });
    }
    this.openByUser.set(user.id, held + 1);
    response.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx and others buffer responses by default; events must reach the client as they happen.
      'X-Accel-Buffering': 'no',
    });
    response.flushHeaders();

    let lastSent = lastEventIdOf(request.headers['last-event-id'], first.history.length);
    let closed = false;
    let reading = false;
    let readAgainAfter = false;
    const heartbeat = setInterval(() => response.write(heartbeatFrame), this.settings.heartbeatMs).unref();
    const poll = setInterval(() => void readAgain(), this.settings.pollMs).unref();
    const unsubscribe = this.changes.subscribe(orderId, () => void readAgain());
    const end = () => {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(end);
      const holding = (this.openByUser.get(user.id) ?? 1) - 1;
      if (holding > 0) this.openByUser.set(user.id, holding);
      else this.openByUser.delete(user.id);
      response.end();
    };
    this.open.add(end);
    response.on('close', end);

    const send = (view: OrderView) => {
      for (const event of statusEventsAfter(view, lastSent)) {
        response.write(frameOf(event));
        lastSent = event.id;
      }
      if (isFinalStatus(view.status)) end();
    };
    // One read at a time; a change announced during a read asks for one more after it.
    const readAgain = async (): Promise<void> => {
      if (closed) return;
      if (reading) {
        readAgainAfter = true;
        return;
      }
      reading = true;
      try {
        send(await this.getOrder.execute(orderId, user));
      } catch (error) {
        // The store may be back at the next read; the client keeps its stream meanwhile.
        this.logger.warn(`order ${orderId}: status read failed: ${String(error)}`);
      }
      reading = false;
      if (readAgainAfter) {
        readAgainAfter = false;
        await readAgain();
      }
    };
    send(first);
    // A change saved between the first read and the subscription would otherwise wait for the poll.
    void readAgain();
  }

  beforeApplicationShutdown(): void {
    for (const end of [...this.open]) end();
  }
}
