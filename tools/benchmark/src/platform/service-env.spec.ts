import { consumerEnv, runNames, tracingEnv } from './service-env.ts';

describe('tracingEnv', () => {
  const jaeger = 'http://127.0.0.1:4318';

  it('when exporting, then the services get the OTLP endpoint and the SDK on', () => {
    expect(tracingEnv('export', jaeger)).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: jaeger,
      OTEL_SDK_DISABLED: 'false',
    });
  });

  it('when not exporting, then the endpoint is set empty so the local profile cannot default it to Jaeger', () => {
    expect(tracingEnv('no-export', jaeger)).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      OTEL_SDK_DISABLED: 'false',
    });
  });

  it('when the SDK is disabled, then OTEL_SDK_DISABLED is true and nothing is exported', () => {
    expect(tracingEnv('sdk-disabled', jaeger)).toEqual({
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      OTEL_SDK_DISABLED: 'true',
    });
  });
});

describe('runNames', () => {
  it('when naming per run, then databases and groups keep dashes and keyspaces get underscores', () => {
    const names = runNames('a1b2', 'orders');
    expect(names.database('inventory')).toBe('bench-a1b2-orders-inventory');
    expect(names.consumerGroup('payment')).toBe('bench-a1b2-orders-payment');
    expect(names.keyspace('payment')).toBe('bench_a1b2_orders_payment');
  });
});

describe('consumerEnv', () => {
  it('when a group is new, then it starts at the end of its topics', () => {
    expect(consumerEnv('g')).toEqual({ KAFKA_CONSUMER_GROUP: 'g', KAFKA_AUTO_OFFSET_RESET: 'latest' });
  });
});
