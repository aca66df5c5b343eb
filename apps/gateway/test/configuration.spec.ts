import { loadGatewayConfig } from '../src';

describe('gateway configuration in the production profile: no server, and so no credential, has a default', () => {
  it('when REDIS_URL is named, then the configuration loads', () => {
    const redisUrl = 'redis://:from-the-vault@redis:6379';
    expect(loadGatewayConfig({ PROFILE: 'production', REDIS_URL: redisUrl }).REDIS_URL).toBe(redisUrl);
  });

  it('when REDIS_URL (rate-limit counters, the admin audit trail) is unset, then loading fails naming it', () => {
    expect(() => loadGatewayConfig({ PROFILE: 'production' })).toThrow(
      /gateway: invalid configuration[\s\S]*REDIS_URL: required in the production profile/,
    );
  });
});
