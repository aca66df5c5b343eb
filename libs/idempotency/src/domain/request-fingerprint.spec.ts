import { canonicalJson } from './canonical-json';
import { requestFingerprint } from './request-fingerprint';

const order = { items: [{ sku: 'SKU-1', quantity: 2 }], paymentMethod: 'tok_visa' };

describe('canonicalJson', () => {
  it('when keys are in another order at any depth, then the text is the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }),
    );
  });

  it('when keys are unordered, then they are written sorted', () => {
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });

  it('when array elements are reordered, then the text differs (order is meaningful)', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('when a property is undefined, then it is dropped as JSON drops it', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
  });

  it('when the value is undefined, then it is written as null', () => {
    expect(canonicalJson(undefined)).toBe('null');
  });

  it('when a value has toJSON (a Date), then it is written as JSON writes it', () => {
    const at = new Date('2026-01-02T03:04:05.000Z');
    expect(canonicalJson({ at })).toBe('{"at":"2026-01-02T03:04:05.000Z"}');
  });
});

describe('requestFingerprint', () => {
  const base = { method: 'POST', path: '/api/orders', body: order };

  it('is a sha-256 hex digest', () => {
    expect(requestFingerprint(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when the body has its keys reordered, then the fingerprint is the same', () => {
    const reordered = { paymentMethod: 'tok_visa', items: [{ quantity: 2, sku: 'SKU-1' }] };
    expect(requestFingerprint({ ...base, body: reordered })).toBe(requestFingerprint(base));
  });

  it('when the method is written in lower case, then the fingerprint is the same', () => {
    expect(requestFingerprint({ ...base, method: 'post' })).toBe(requestFingerprint(base));
  });

  it.each([
    ['a changed value', { ...base, body: { ...order, paymentMethod: 'tok_chargeDeclined' } }],
    ['a changed nested value', { ...base, body: { ...order, items: [{ sku: 'SKU-1', quantity: 3 }] } }],
    ['an added field', { ...base, body: { ...order, note: 'x' } }],
    ['another path', { ...base, path: '/api/orders/other' }],
    ['another method', { ...base, method: 'PUT' }],
    ['no body', { ...base, body: undefined }],
  ])('when the request has %s, then the fingerprint differs', (_case, changed) => {
    expect(requestFingerprint(changed)).not.toBe(requestFingerprint(base));
  });

  it('when characters move between path and body, then the fingerprints differ', () => {
    expect(requestFingerprint({ method: 'POST', path: '/a"', body: 'b' })).not.toBe(
      requestFingerprint({ method: 'POST', path: '/a', body: '"b' }),
    );
  });
});
