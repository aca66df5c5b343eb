import { ConfigError } from '@platform/config';
import { loadProviderSimConfig } from '../src';

describe('payment-provider-sim configuration', () => {
  it('when nothing is set, then port 3006, a 10 s slow token and no fault are used', () => {
    expect(loadProviderSimConfig({})).toMatchObject({
      PORT: 3006,
      PROFILE: 'local',
      LOG_LEVEL: 'info',
      SLOW_TOKEN_DELAY_MS: 10_000,
      FAULT_LATENCY_MS: 0,
      FAULT_ERROR_RATE: 0,
      FAULT_OUTAGE: false,
    });
  });

  it('when the faults and the slow delay are set, then they are read as numbers and a flag', () => {
    expect(
      loadProviderSimConfig({
        PROFILE: 'compose',
        SLOW_TOKEN_DELAY_MS: '0',
        FAULT_LATENCY_MS: '250',
        FAULT_ERROR_RATE: '0.5',
        FAULT_OUTAGE: '1',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
      }),
    ).toMatchObject({
      SLOW_TOKEN_DELAY_MS: 0,
      FAULT_LATENCY_MS: 250,
      FAULT_ERROR_RATE: 0.5,
      FAULT_OUTAGE: true,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318',
    });
    expect(loadProviderSimConfig({ FAULT_OUTAGE: 'false' }).FAULT_OUTAGE).toBe(false);
  });

  it.each([
    ['PORT', '70000'],
    ['SLOW_TOKEN_DELAY_MS', '-1'],
    ['SLOW_TOKEN_DELAY_MS', 'slow'],
    ['FAULT_LATENCY_MS', '1.5'],
    ['FAULT_ERROR_RATE', '1.1'],
    ['FAULT_ERROR_RATE', '-0.5'],
    ['FAULT_OUTAGE', 'maybe'],
    ['PROFILE', 'staging'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'not a url'],
  ])('when %s is %p, then loading fails naming it', (name, value) => {
    expect(() => loadProviderSimConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadProviderSimConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
