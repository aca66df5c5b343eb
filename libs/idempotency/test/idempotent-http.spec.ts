import { Controller, Headers, Module, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHttpApp } from '@platform/http';
import { ObservabilityModule } from '@platform/observability';
import { eventually, listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import {
  IdempotentHttp,
  IdempotentRequests,
  MemoryDurableIdempotencyRecords,
  MemoryIdempotencyLocks,
} from '../src';
import { FakeOrderService } from './fake-order-service';

/** What the controller uses; each test gets fresh stores. */
const state = {} as { http: IdempotentHttp; orders: FakeOrderService };

@Controller('orders')
class OrdersController {
  @Post()
  create(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Headers('x-user-id') userId: string,
  ) {
    return state.http.respond({ request, response, userId }, state.orders.execute);
  }

  @Post('express')
  createExpress(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @Headers('x-user-id') userId: string,
  ) {
    return state.http.respond({ request, response, userId }, state.orders.execute);
  }
}

@Module({
  imports: [ObservabilityModule.forRoot({ serviceName: 'idempotency-http-test', logLevel: 'silent' })],
  controllers: [OrdersController],
})
class TestModule {}

const body = { items: [{ sku: 'SKU-1', quantity: 2 }], paymentMethod: 'tok_visa' };

describe('the Idempotency-Key contract over HTTP', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await listenOnEphemeralPort(await createHttpApp(TestModule));
  });
  afterAll(() => running.close());

  beforeEach(() => {
    const records = new MemoryDurableIdempotencyRecords();
    state.orders = new FakeOrderService(records);
    state.http = new IdempotentHttp(
      new IdempotentRequests(new MemoryIdempotencyLocks(), records, { logger: { warn: () => undefined } }),
    );
  });

  const post = (headers: Record<string, string>, payload: unknown = body) =>
    fetch(`${running.baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user-id': 'alice', ...headers },
      body: JSON.stringify(payload),
    });

  it('when the key is missing, then 400 problem+json and nothing is executed', async () => {
    const response = await post({});
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ type: '/problems/idempotency-key-missing', status: 400 });
    expect(state.orders.executions).toBe(0);
  });

  it('when the key is longer than 255 characters, then 400 and nothing is executed', async () => {
    const response = await post({ 'Idempotency-Key': 'k'.repeat(256) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: '/problems/idempotency-key-malformed' });
    expect(state.orders.executions).toBe(0);
  });

  it('when the key is new, then the response of the execution is sent, not marked as a replay', async () => {
    const response = await post({ 'Idempotency-Key': 'k-1' });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toBe('/api/orders/order-1');
    expect(response.headers.get('idempotent-replayed')).toBeNull();
    expect(await response.json()).toEqual({ orderId: 'order-1', status: 'PENDING' });
  });

  it('when the same request is sent again, then the first response is replayed with Idempotent-Replayed: true', async () => {
    const first = await post({ 'Idempotency-Key': 'k-1' });
    const reordered = { paymentMethod: 'tok_visa', items: [{ quantity: 2, sku: 'SKU-1' }] };
    const again = await post({ 'Idempotency-Key': 'k-1' }, reordered);
    expect(again.status).toBe(first.status);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
    expect(state.orders.executions).toBe(1);
  });

  it('when the key is reused with a different body, then 422 and nothing is executed again', async () => {
    await post({ 'Idempotency-Key': 'k-1' });
    const response = await post(
      { 'Idempotency-Key': 'k-1' },
      { ...body, paymentMethod: 'tok_chargeDeclined' },
    );
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ type: '/problems/idempotency-key-reused', status: 422 });
    expect(state.orders.executions).toBe(1);
  });

  it('when the key is reused with the same body on another path, then 422', async () => {
    await post({ 'Idempotency-Key': 'k-1' });
    const response = await fetch(`${running.baseUrl}/orders/express?ignored=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-user-id': 'alice', 'Idempotency-Key': 'k-1' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(422);
  });

  it('when the first request is still in flight, then 409 with Retry-After', async () => {
    state.orders.hold();
    const first = post({ 'Idempotency-Key': 'k-1' });
    await eventually(async () => (state.orders.executions > 0 ? true : undefined), 5000, 5);
    const response = await post({ 'Idempotency-Key': 'k-1' });
    expect(response.status).toBe(409);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toMatchObject({ type: '/problems/idempotency-key-in-use', status: 409 });
    state.orders.release();
    expect((await first).status).toBe(202);
  });

  it('when another user sends the same key, then it is an independent request', async () => {
    await post({ 'Idempotency-Key': 'k-1' });
    const response = await post({ 'Idempotency-Key': 'k-1', 'x-user-id': 'bob' });
    expect(response.status).toBe(202);
    expect(response.headers.get('idempotent-replayed')).toBeNull();
    expect(await response.json()).toEqual({ orderId: 'order-2', status: 'PENDING' });
  });

  it('when the execution fails, then the error is answered and a retry with the same key executes', async () => {
    state.orders.failWith = new Error('inventory unavailable');
    expect((await post({ 'Idempotency-Key': 'k-1' })).status).toBe(500);
    state.orders.failWith = undefined;
    const retry = await post({ 'Idempotency-Key': 'k-1' });
    expect(retry.status).toBe(202);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
  });

  it('when 50 identical requests arrive in parallel, then one order is created and the rest are 409 or replays', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => post({ 'Idempotency-Key': 'k-50' })),
    );
    expect(state.orders.executions).toBe(1);
    const fresh = responses.filter((r) => r.status === 202 && r.headers.get('idempotent-replayed') === null);
    const replayed = responses.filter(
      (r) => r.status === 202 && r.headers.get('idempotent-replayed') === 'true',
    );
    const conflicts = responses.filter((r) => r.status === 409);
    expect(fresh).toHaveLength(1);
    expect(replayed.length + conflicts.length).toBe(49);
  });
});
