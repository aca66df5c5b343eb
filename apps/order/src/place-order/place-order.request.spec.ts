import { ZodValidationPipe } from '@platform/http';
import { maxOrderLines, placeOrderRequest } from './place-order.request';

const validate = (body: unknown) => new ZodValidationPipe(placeOrderRequest).transform(body);
const problemOf = (body: unknown) => {
  try {
    validate(body);
  } catch (error) {
    return (error as { problem: { status: number; extensions: { errors: { field: string }[] } } }).problem;
  }
  throw new Error('the body was accepted');
};
const line = (sku = 'TEA-GREEN', quantity = 1) => ({ sku, quantity });

describe('the body of POST /api/orders', () => {
  it('when the body names known fields with valid values, then it is accepted as it is', () => {
    const body = { items: [line('TEA-GREEN', 2), line('MUG-WHITE', 100)], paymentMethod: 'tok_visa' };
    expect(validate(body)).toEqual(body);
  });

  it.each(['tok_visa', 'tok_chargeDeclined', 'tok_slow'])(
    'when the payment method is %s, then it is accepted',
    (method) => {
      expect(validate({ items: [line()], paymentMethod: method }).paymentMethod).toBe(method);
    },
  );

  it.each([
    ['no items', { items: [], paymentMethod: 'tok_visa' }, 'items'],
    ['items missing', { paymentMethod: 'tok_visa' }, 'items'],
    ['a quantity of 0', { items: [line('A', 0)], paymentMethod: 'tok_visa' }, 'items.0.quantity'],
    ['a quantity of 101', { items: [line('A', 101)], paymentMethod: 'tok_visa' }, 'items.0.quantity'],
    ['a fractional quantity', { items: [line('A', 1.5)], paymentMethod: 'tok_visa' }, 'items.0.quantity'],
    [
      'a quantity as text',
      { items: [{ sku: 'A', quantity: '1' }], paymentMethod: 'tok_visa' },
      'items.0.quantity',
    ],
    ['an empty sku', { items: [line('')], paymentMethod: 'tok_visa' }, 'items.0.sku'],
    ['a sku with a slash', { items: [line('A/B')], paymentMethod: 'tok_visa' }, 'items.0.sku'],
    [
      'the same sku twice',
      { items: [line('A'), line('B'), line('A')], paymentMethod: 'tok_visa' },
      'items.2.sku',
    ],
    ['an unknown payment token', { items: [line()], paymentMethod: 'tok_amex' }, 'paymentMethod'],
    ['no payment method', { items: [line()] }, 'paymentMethod'],
    ['an unknown field', { items: [line()], paymentMethod: 'tok_visa', coupon: 'FREE' }, 'coupon'],
    [
      'an unknown field in a line',
      { items: [{ ...line(), price: 1 }], paymentMethod: 'tok_visa' },
      'items.0.price',
    ],
  ])('when the body has %s, then it is refused naming %s', (_case, body, field) => {
    const problem = problemOf(body);
    expect(problem.status).toBe(400);
    expect(problem.extensions.errors.map((error) => error.field)).toContain(field);
  });

  it(`when the body has more than ${maxOrderLines} lines, then it is refused`, () => {
    const items = Array.from({ length: maxOrderLines + 1 }, (_, index) => line(`SKU-${index}`));
    expect(problemOf({ items, paymentMethod: 'tok_visa' }).extensions.errors[0]?.field).toBe('items');
    expect(validate({ items: items.slice(1), paymentMethod: 'tok_visa' }).items).toHaveLength(maxOrderLines);
  });

  it('when the body is not an object, then it is refused', () => {
    expect(problemOf('items').status).toBe(400);
    expect(problemOf(null).status).toBe(400);
  });
});
