import { z } from 'zod';
import { ConfigError, env, parseConfig } from './parse-config';

const schema = z.object({ PORT: env.port(8080), LOG_LEVEL: env.logLevel(), OTEL_EXPORTER_OTLP_ENDPOINT: env.optionalUrl() });

describe('parseConfig', () => {
  it('when variables are absent, then the defaults apply', () => {
    expect(parseConfig(schema, {}, 'gateway')).toEqual({ PORT: 8080, LOG_LEVEL: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: undefined });
  });

  it('when variables are set, then they are coerced to their types', () => {
    expect(parseConfig(schema, { PORT: '9000', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, 'gateway')).toMatchObject({
      PORT: 9000,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    });
  });

  it('when values are wrong, then the error names the app and every offending variable', () => {
    const parse = () => parseConfig(schema, { PORT: 'eighty', LOG_LEVEL: 'loud', OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' }, 'gateway');
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(/gateway: invalid configuration/);
    expect(parse).toThrow(/PORT:/);
    expect(parse).toThrow(/LOG_LEVEL:/);
    expect(parse).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT:/);
  });
});
