import { resolvePath } from './request-path';
import type { Route } from './route-table';

const table: Route[] = [
  { prefix: '/api/auth', upstream: 'auth' },
  { path: '/.well-known/jwks.json', upstream: 'auth' },
];

describe('resolvePath', () => {
  it.each([
    '/api/auth',
    '/api/auth/',
    '/api/auth/login',
    '/api/auth/login?next=/x',
    '/api/auth/users/a%20b',
    '/.well-known/jwks.json',
  ])('when the path is %s, then it is routed to auth', (target) => {
    expect(resolvePath(target, table)).toMatchObject({ kind: 'routed', upstream: 'auth' });
  });

  it('when a prefix matches, then the pattern names the prefix (a bounded metrics label)', () => {
    expect(resolvePath('/api/auth/login', table)).toEqual({
      kind: 'routed',
      upstream: 'auth',
      pattern: '/api/auth/*',
      upstreamTarget: '/api/auth/login',
    });
  });

  it('when a route names an upstream prefix and a role, then the target goes upstream under that prefix, query kept, and the role is required', () => {
    const admin: Route[] = [
      { prefix: '/api/admin/provider', upstream: 'paymentProvider', upstreamPrefix: '/admin', role: 'admin' },
    ];
    expect(resolvePath('/api/admin/provider/faults?x=1', admin)).toEqual({
      kind: 'routed',
      upstream: 'paymentProvider',
      pattern: '/api/admin/provider/*',
      upstreamTarget: '/admin/faults?x=1',
      role: 'admin',
    });
  });

  it.each(['/api/authx', '/api', '/healthz', '/metrics', '/.well-known/jwks.json/x', '/API/auth/login'])(
    'when the path is %s, then it is not routed',
    (target) => {
      expect(resolvePath(target, table)).toEqual({ kind: 'unrouted' });
    },
  );

  it.each([
    '/api/auth/../healthz',
    '/api/auth/./login',
    '/api/auth/%2e%2e/metrics',
    '/api/auth/%2E%2e%2fmetrics',
    '/api/auth/%252e%252e/metrics',
    '/api/auth//login',
    '//api/auth/login',
    '/api/auth/..\\metrics',
    '/api/auth/%5c..%5cmetrics',
    '/api/auth/%00',
    '/api/auth/%zz',
    'api/auth/login',
  ])('when the path is %s, then it is refused as unsafe', (target) => {
    expect(resolvePath(target, table)).toEqual({ kind: 'unsafe' });
  });

  it('when dot segments are only in the query, then the path is still routed', () => {
    expect(resolvePath('/api/auth/login?next=../x', table)).toMatchObject({ kind: 'routed' });
  });
});
