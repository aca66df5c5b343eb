import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';
import { ObservabilityModule } from '@platform/observability';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import { ZodValidationPipe, createHttpApp, openApiSchemaOf } from '../src';

const registration = z.strictObject({ email: z.email(), password: z.string().min(12).max(128) });

@Controller('api/accounts')
class AccountsController {
  @Post()
  @HttpCode(201)
  @ApiBody({ schema: openApiSchemaOf(registration) })
  create(@Body(new ZodValidationPipe(registration)) body: z.output<typeof registration>) {
    return { email: body.email };
  }
}

@Module({
  imports: [ObservabilityModule.forRoot({ serviceName: 'accounts', logLevel: 'silent' })],
  controllers: [AccountsController],
})
class AccountsModule {}

describe('validation and the OpenAPI document', () => {
  let server: RunningApp;
  beforeAll(async () => {
    server = await listenOnEphemeralPort(await createHttpApp(AccountsModule, { apiTitle: 'Accounts' }));
  });
  afterAll(() => server.close());

  const post = (body: unknown) =>
    fetch(`${server.baseUrl}/api/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('when the body matches its schema, then the handler gets the parsed value', async () => {
    const response = await post({ email: 'ada@example.com', password: 'twelve chars!' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ email: 'ada@example.com' });
  });

  it('when fields are wrong or unknown, then 400 problem+json lists each of them', async () => {
    const response = await post({ email: 'nope', password: 'short', admin: true });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { errors: { field: string }[] };
    expect(problem).toMatchObject({ type: '/problems/validation-failed', status: 400 });
    expect(problem.errors.map((error) => error.field).sort()).toEqual(['admin', 'email', 'password']);
  });

  it('when /openapi.json is asked for, then it describes the routes and the body schema from the code', async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- an OpenAPI document, read as plain JSON
    const document = (await (await fetch(`${server.baseUrl}/openapi.json`)).json()) as any;
    expect(document.info.title).toBe('Accounts');
    const body = document.paths['/api/accounts'].post.requestBody.content['application/json'].schema;
    expect(body).toMatchObject({
      type: 'object',
      required: ['email', 'password'],
      additionalProperties: false,
    });
    expect(body.properties.password).toMatchObject({ minLength: 12, maxLength: 128 });
  });
});
