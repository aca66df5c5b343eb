import { StripeError } from '../http-edge/stripe-error';
import { IdempotentRequests } from './idempotent-requests';

describe('IdempotentRequests', () => {
  const created = { status: 201, body: { id: 'ch_1' } };

  it('when the endpoint fails with a bug, then nothing is saved and a retry with the key runs again', async () => {
    const requests = new IdempotentRequests();
    const execute = jest.fn().mockRejectedValueOnce(new Error('boom')).mockResolvedValueOnce(created);
    await expect(requests.run('POST /v1/charges', 'k1', { a: 1 }, execute)).rejects.toThrow('boom');
    await expect(requests.run('POST /v1/charges', 'k1', { a: 1 }, execute)).resolves.toEqual({
      ...created,
      replayed: false,
    });
    expect(execute).toHaveBeenCalledTimes(2);
  });

  it('when the endpoint refuses with a StripeError, then the refusal is saved and replayed', async () => {
    const requests = new IdempotentRequests();
    const refusal = StripeError.invalidRequest(400, 'resource_missing', 'source', 'No such token');
    const execute = jest.fn().mockRejectedValue(refusal);
    const first = await requests.run('POST /v1/charges', 'k2', { a: 1 }, execute);
    const again = await requests.run('POST /v1/charges', 'k2', { a: 1 }, execute);
    expect(first).toEqual({ status: 400, body: { error: refusal.body }, replayed: false });
    expect(again).toEqual({ ...first, replayed: true });
    expect(execute).toHaveBeenCalledTimes(1);
  });

  it('when the same key comes to another endpoint, then it runs there on its own', async () => {
    const requests = new IdempotentRequests();
    const execute = jest.fn().mockResolvedValue(created);
    await requests.run('POST /v1/charges', 'k3', { a: 1 }, execute);
    const other = await requests.run('POST /v1/refunds', 'k3', { b: 2 }, execute);
    expect(other.replayed).toBe(false);
    expect(execute).toHaveBeenCalledTimes(2);
  });

  it('when parameters differ only in key order, then it is the same request', async () => {
    const requests = new IdempotentRequests();
    const execute = jest.fn().mockResolvedValue(created);
    await requests.run('POST /v1/charges', 'k4', { a: 1, b: { c: 2, d: 3 } }, execute);
    const again = await requests.run('POST /v1/charges', 'k4', { b: { d: 3, c: 2 }, a: 1 }, execute);
    expect(again.replayed).toBe(true);
  });
});
