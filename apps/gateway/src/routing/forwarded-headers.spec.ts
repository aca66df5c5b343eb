import { requestHeadersForUpstream, responseHeadersFromUpstream } from './forwarded-headers';

const context = { clientAddress: '10.0.0.9', protocol: 'http', requestId: 'req-1' };

describe('requestHeadersForUpstream', () => {
  it('when the client sends end-to-end and hop-by-hop headers, then only the end-to-end ones are kept', () => {
    const headers = requestHeadersForUpstream(
      {
        host: 'gateway.example',
        connection: 'keep-alive, X-Hop',
        'x-hop': '1',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        te: 'trailers',
        trailer: 'x-checksum',
        upgrade: 'websocket',
        'proxy-authorization': 'Basic eA==',
        'proxy-connection': 'keep-alive',
        accept: 'application/json',
        authorization: 'Bearer t',
        cookie: 'a=b',
      },
      context,
    );
    expect(headers).toEqual({
      accept: 'application/json',
      authorization: 'Bearer t',
      cookie: 'a=b',
      'x-forwarded-for': '10.0.0.9',
      'x-forwarded-proto': 'http',
      'x-request-id': 'req-1',
    });
  });

  it('when the client claims forwarded addresses, then the seen address is appended', () => {
    expect(
      requestHeadersForUpstream({ 'x-forwarded-for': '1.2.3.4, 5.6.7.8' }, context)['x-forwarded-for'],
    ).toBe('1.2.3.4, 5.6.7.8, 10.0.0.9');
  });

  it("when the client sends a request id or trace context, then the gateway's request id is sent and its trace context is left to the instrumentation", () => {
    const headers = requestHeadersForUpstream(
      { 'x-request-id': 'bad id', traceparent: '00-aa-bb-01', tracestate: 'x=y', baggage: 'k=v' },
      context,
    );
    expect(headers['x-request-id']).toBe('req-1');
    expect(headers).not.toHaveProperty('traceparent');
    expect(headers).not.toHaveProperty('tracestate');
    expect(headers).not.toHaveProperty('baggage');
  });
});

describe('responseHeadersFromUpstream', () => {
  it("when the upstream answers, then hop-by-hop headers and the gateway's own headers are dropped", () => {
    expect(
      responseHeadersFromUpstream({
        Connection: 'close',
        'keep-alive': 'timeout=5',
        'transfer-encoding': 'chunked',
        'content-type': 'application/json',
        'set-cookie': ['a=1', 'b=2'],
        'x-request-id': 'upstream-id',
        'x-trace-id': 'upstream-trace',
        ratelimit: '"login";r=0;t=10',
        'retry-after': '10',
      }),
    ).toEqual({ 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'], 'retry-after': '10' });
  });
});
