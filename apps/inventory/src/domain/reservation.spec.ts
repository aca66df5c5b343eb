import { mergeLines, rejectionReasonOf } from './reservation';

describe('reservation lines', () => {
  it('when a sku appears twice, then its quantities are merged into one line', () => {
    expect(
      mergeLines([
        { sku: 'A', quantity: 1 },
        { sku: 'B', quantity: 2 },
        { sku: 'A', quantity: 3 },
      ]),
    ).toEqual([
      { sku: 'A', quantity: 4 },
      { sku: 'B', quantity: 2 },
    ]);
  });

  it('when some unavailable lines name unknown skus, then the reason is UNKNOWN_SKU, else OUT_OF_STOCK', () => {
    expect(rejectionReasonOf(1)).toBe('UNKNOWN_SKU');
    expect(rejectionReasonOf(0)).toBe('OUT_OF_STOCK');
  });
});
