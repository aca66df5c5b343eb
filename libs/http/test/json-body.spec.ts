import { Body, Controller, Module, Post } from '@nestjs/common';
import { ObservabilityModule } from '@platform/observability';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { createHttpApp } from '../src';
import { repeatsMemberName } from '../src/json-member-names';

describe('repeatsMemberName', () => {
  it.each([
    ['{"a":1,"a":2}'],
    ['{"a":1, "b":{"c":1}, "a":1}'],
    ['{"a" :1,"\\u0061": 1}'],
    ['[{"x":1},{"y":{"z":[1,{"k":1,"k":2}]}}]'],
    ['{"a":"\\"","a":1}'],
  ])('when %s names a member twice in one object, then it is found', (text) => {
    expect(repeatsMemberName(text)).toBe(true);
  });

  it.each([
    ['{"a":1,"b":2}'],
    ['[{"a":1},{"a":2}]'],
    ['{"a":{"a":{"a":1}}}'],
    ['{"a":"a","b":["a","a"]}'],
    ['{"a":"\\":","b":"\\":"}'],
    ['{"a":"b\\\\","b":1}'],
    ['"a"'],
    ['{"a":'],
  ])('when %s names each member once per object, then nothing is found', (text) => {
    expect(repeatsMemberName(text)).toBe(false);
  });
});

@Controller('things')
class ThingsController {
  @Post()
  create(@Body() body: unknown) {
    return { received: body };
  }
}

@Module({
  imports: [ObservabilityModule.forRoot({ serviceName: 'test', logLevel: 'silent' })],
  controllers: [ThingsController],
})
class ThingsModule {}

describe('a JSON body read by an app made by createHttpApp', () => {
  let server: RunningApp;
  beforeAll(async () => {
    server = await listenOnEphemeralPort(await createHttpApp(ThingsModule));
  });
  afterAll(() => server.close());

  const post = (body: string | Uint8Array, contentType = 'application/json') =>
    fetch(`${server.baseUrl}/things`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('when a member is named twice (JSON.parse would keep the last), then 400 invalid-json, and the handler never sees it', async () => {
    const response = await post('{"name":"first","name":"second"}');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      type: '/problems/invalid-json',
      detail: 'The request body names a member twice in one object.',
    });
  });

  it('when a string holds bytes that are not UTF-8, then 400 invalid-json instead of U+FFFD in their place', async () => {
    const response = await post(
      Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('b"}')]),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      type: '/problems/invalid-json',
      detail: 'The request body is not valid UTF-8.',
    });
  });

  it('when the body declares a charset other than UTF-8 (UTF-16), then 415 unsupported-encoding', async () => {
    const response = await post(Buffer.from('{"name":"a"}', 'utf16le'), 'application/json; charset=utf-16le');
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ type: '/problems/unsupported-encoding' });
  });

  it.each(['POST', 'PUT', 'PATCH'])(
    'when a %s announces JSON but sends no body, then 400 invalid-json, not an empty object',
    async (method) => {
      const response = await fetch(`${server.baseUrl}/things`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: '',
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        type: '/problems/invalid-json',
        detail: 'The request body is empty: JSON was announced.',
      });
    },
  );

  it('when a DELETE announces JSON but sends no body, then the content type is no reason to refuse it', async () => {
    const response = await fetch(`${server.baseUrl}/things`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/json', 'content-length': '0' },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: 'about:blank' });
  });

  it('when the body is UTF-8 with letters of any script and each member once, then the handler gets it', async () => {
    const response = await post(
      '{"name":"Zoë 東京 🍵","names":["a","a"],"nested":{"name":1}}',
      'application/json; charset=UTF-8',
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      received: { name: 'Zoë 東京 🍵', names: ['a', 'a'], nested: { name: 1 } },
    });
  });
});
