import { correctForCoordinatedOmission, percentileOfSorted, summarizeLatencies } from './latency.ts';

describe('percentileOfSorted', () => {
  const hundred = Array.from({ length: 100 }, (_, index) => index + 1);

  it('when asked for p50, p99 and p100 of 1..100, then the nearest ranks are 50, 99 and 100', () => {
    expect(percentileOfSorted(hundred, 0.5)).toBe(50);
    expect(percentileOfSorted(hundred, 0.99)).toBe(99);
    expect(percentileOfSorted(hundred, 1)).toBe(100);
  });

  it('when p99.9 is asked of fewer than 1000 samples, then it is the largest one', () => {
    expect(percentileOfSorted(hundred, 0.999)).toBe(100);
  });

  it('when q is 0, then it is the smallest sample; with no samples it is NaN', () => {
    expect(percentileOfSorted(hundred, 0)).toBe(1);
    expect(percentileOfSorted([], 0.5)).toBeNaN();
  });
});

describe('correctForCoordinatedOmission', () => {
  it('when an answer took longer than the expected interval, then the requests it held back are added', () => {
    expect(correctForCoordinatedOmission([3, 45], 10)).toEqual([3, 45, 35, 25, 15]);
  });

  it('when every answer came within the interval, then nothing is added', () => {
    expect(correctForCoordinatedOmission([1, 9.9, 10], 10)).toEqual([1, 9.9, 10]);
  });

  it('when there is no interval (no rate was held), then the samples are returned unchanged', () => {
    expect(correctForCoordinatedOmission([300, 2], undefined)).toEqual([300, 2]);
    expect(correctForCoordinatedOmission([300, 2], 0)).toEqual([300, 2]);
  });

  it('when one stall hides behind fast answers, then the corrected p99 shows it and the raw one does not', () => {
    const samples = [...Array.from({ length: 990 }, () => 1), 1000];
    expect(summarizeLatencies(samples).p99).toBe(1);
    expect(summarizeLatencies(correctForCoordinatedOmission(samples, 10)).p99).toBeGreaterThan(100);
  });
});

describe('summarizeLatencies', () => {
  it('when given unsorted samples, then it sorts them and reports count, percentiles and max', () => {
    expect(summarizeLatencies([5, 1, 3, 2, 4])).toEqual({ samples: 5, p50: 3, p99: 5, p99_9: 5, max: 5 });
  });
});
