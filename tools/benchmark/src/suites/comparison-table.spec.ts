import type { AtRate, Saturation } from '../measure.ts';
import { comparisonTable, comparisonWarnings, cpuColumnOf, type ComparedTarget } from './comparison-table.ts';

const latency = (p50: number, p99: number, p99_9: number) => ({ samples: 1000, p50, p99, p99_9, max: p99_9 });

function target(
  label: string,
  okPerSecond: number,
  cpu: Record<string, number>,
  percentiles: [number, number, number],
  overrides: { saturation?: Partial<Saturation>; atRate?: Partial<AtRate> } = {},
): ComparedTarget {
  return {
    label,
    saturation: {
      okPerSecond,
      ok: okPerSecond * 10,
      non2xx: 0,
      errors: 0,
      cpuMicrosPerRequest: cpu,
      loadGeneratorCoreShare: 0.4,
      ...overrides.saturation,
    },
    atRate: {
      targetRate: 1000,
      achievedRate: 1000,
      rateHeld: true,
      latency: latency(...percentiles),
      rawLatency: latency(...percentiles),
      ok: 10_000,
      non2xx: 0,
      errors: 0,
      cpuMicrosPerRequest: cpu,
      ...overrides.atRate,
    },
  };
}

const direct = target('inventory direct', 4000, { inventory: 240 }, [0.6, 1.9, 4.1]);
const proxied = target('gateway → inventory', 2000, { gateway: 300, inventory: 180 }, [1.4, 3.8, 9.0]);

describe('comparisonTable', () => {
  it('when a variant is compared with a baseline, then both rows and the ratio row are printed', () => {
    const table = comparisonTable(direct, [{ target: proxied, ratioLabel: 'proxied ÷ direct' }]);
    expect(table.rows).toEqual([
      ['inventory direct', '4 000', '0.600', '1.90', '4.10', '1 000', 'inventory 240 µs'],
      ['gateway → inventory', '2 000', '1.40', '3.80', '9.00', '1 000', 'gateway 300 µs + inventory 180 µs'],
      ['proxied ÷ direct', '0.50×', '+0.800', '+1.90', '+4.90', '', '2.00× CPU/req'],
    ]);
  });

  it('when the rate was not held, then its row says so', () => {
    const slow = target('slow', 2000, { x: 1 }, [1, 2, 3], {
      atRate: { rateHeld: false, achievedRate: 700 },
    });
    expect(comparisonTable(slow, []).rows[0]?.[5]).toBe('700 (not held)');
  });
});

describe('comparisonWarnings', () => {
  it('when everything went well, then there is nothing to say', () => {
    expect(comparisonWarnings([direct, proxied])).toEqual([]);
  });

  it('when there were failures, a rate not held and a busy load generator, then each is named', () => {
    const troubled = target('troubled', 100, { x: 1 }, [1, 2, 3], {
      saturation: { non2xx: 3, errors: 1, loadGeneratorCoreShare: 0.97 },
      atRate: { rateHeld: false, achievedRate: 40, targetRate: 50, non2xx: 2 },
    });
    const warnings = comparisonWarnings([troubled]);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/3 non-2xx and 1 errors at saturation/);
    expect(warnings[1]).toMatch(/not held \(40 of 50 req\/s, 2 non-2xx/);
    expect(warnings[2]).toMatch(/97% of its core/);
  });
});

describe('cpuColumnOf', () => {
  it('when there are no processes, then the column is empty', () => {
    expect(cpuColumnOf({})).toBe('');
  });
});
