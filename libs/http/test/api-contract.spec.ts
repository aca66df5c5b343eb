import { Body, Controller, Get, Module, Param, Post, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { ObservabilityModule } from '@platform/observability';
import { listenOnEphemeralPort, type RunningApp } from '@platform/testing';
import {
  ApiContract,
  type OpenApiResponse,
  ZodValidationPipe,
  addProblemResponses,
  createHttpApp,
  problemTypesOf,
} from '../src';

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(200).optional().meta({ description: 'nextCursor of the previous page' }),
  order: z.enum(['asc', 'desc']).optional(),
});
const noteParams = z.object({ noteId: z.string().regex(/^[a-z0-9-]{1,36}$/) });
const noteHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .min(1)
    .max(255)
    .regex(/^[!-~][ -~]*$/),
});
const newNote = z.strictObject({ text: z.string().min(1).max(500) });
const note = z.object({ id: z.string(), text: z.string(), createdAt: z.iso.datetime() });
const notesPage = z.object({ items: z.array(note), nextCursor: z.string().nullable() });
const settings = z.strictObject({ muted: z.boolean().default(false) });

@Controller('api/notes')
class NotesController {
  @Get()
  @ApiContract({
    summary: 'The notes, a page at a time',
    query: listQuery,
    success: { status: 200, description: 'A page of notes', body: notesPage },
    problems: { 400: ['validation-failed', 'invalid-cursor'], 401: ['about:blank'] },
  })
  list(@Query(new ZodValidationPipe(listQuery)) query: z.output<typeof listQuery>) {
    return { items: [], nextCursor: query.cursor ?? null };
  }

  @Post(':noteId')
  @ApiContract({
    summary: 'Writes a note',
    params: noteParams,
    headers: noteHeaders,
    body: newNote,
    success: {
      status: 201,
      description: 'The note',
      body: note,
      headers: { Location: { description: 'Where the note is', required: true } },
      example: { id: 'n-1', text: 'hello', createdAt: '2026-01-02T03:04:05.000Z' },
    },
    problems: { 400: ['validation-failed'], 404: ['about:blank'], 409: ['note-exists'] },
  })
  write(
    @Param(new ZodValidationPipe(noteParams)) params: z.output<typeof noteParams>,
    @Body(new ZodValidationPipe(newNote)) body: z.output<typeof newNote>,
  ) {
    return { id: params.noteId, text: body.text, createdAt: new Date(0).toISOString() };
  }
}

@Controller('api/note-settings')
class NoteSettingsController {
  @Put()
  @ApiContract({
    summary: 'Replaces the settings; one left out is off',
    body: settings,
    success: { status: 200, description: 'The settings', body: settings },
    problems: { 400: ['validation-failed'] },
  })
  replace(@Body(new ZodValidationPipe(settings)) body: z.output<typeof settings>) {
    return body;
  }
}

@Module({
  imports: [ObservabilityModule.forRoot({ serviceName: 'notes', logLevel: 'silent' })],
  controllers: [NotesController, NoteSettingsController],
})
class NotesModule {}

/* eslint-disable @typescript-eslint/no-explicit-any -- an OpenAPI document, read as plain JSON */
describe('ApiContract: an operation declares its whole contract from its zod schemas', () => {
  let server: RunningApp;
  let document: any;
  beforeAll(async () => {
    server = await listenOnEphemeralPort(await createHttpApp(NotesModule, { apiTitle: 'Notes' }));
    document = await (await fetch(`${server.baseUrl}/openapi.json`)).json();
  });
  afterAll(() => server.close());

  const list = () => document.paths['/api/notes'].get;
  const write = () => document.paths['/api/notes/{noteId}'].post;
  const parameter = (operation: any, name: string) =>
    operation.parameters.find((one: { name: string }) => one.name === name);
  const problemTypes = (operation: any, status: number) =>
    problemTypesOf(operation.responses[String(status)] as OpenApiResponse);
  const post = (path: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('when it has a query schema, then each field is a query parameter with its constraints, required unless optional or defaulted', () => {
    expect(parameter(list(), 'limit')).toEqual({
      name: 'limit',
      in: 'query',
      required: false,
      schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    });
    expect(parameter(list(), 'cursor')).toEqual({
      name: 'cursor',
      in: 'query',
      required: false,
      description: 'nextCursor of the previous page',
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    });
    expect(parameter(list(), 'order').schema).toEqual({ type: 'string', enum: ['asc', 'desc'] });
  });

  it('when it has path parameters and headers, then each is declared required with its constraints', () => {
    expect(parameter(write(), 'noteId')).toMatchObject({
      in: 'path',
      required: true,
      schema: { type: 'string', pattern: '^[a-z0-9-]{1,36}$' },
    });
    expect(parameter(write(), 'Idempotency-Key')).toMatchObject({
      in: 'header',
      required: true,
      schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~][ -~]*$' },
    });
  });

  it('when it has a body, then the request body is required, with the input schema', () => {
    expect(write().requestBody).toEqual({
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: { text: { type: 'string', minLength: 1, maxLength: 500 } },
            required: ['text'],
            additionalProperties: false,
          },
        },
      },
    });
  });

  it('when {} is a valid body, then the body is optional, as the pipe reads a missing body as {}', async () => {
    expect(document.paths['/api/note-settings'].put.requestBody.required).toBe(false);
    const response = await fetch(`${server.baseUrl}/api/note-settings`, { method: 'PUT' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ muted: false });
  });

  it('when it names a success status, then that status has the output schema, its headers and example, and the handler answers with it', async () => {
    const created = write().responses['201'];
    expect(created.headers.Location).toEqual({
      description: 'Where the note is',
      required: true,
      schema: { type: 'string' },
    });
    const content = created.content['application/json'];
    expect(content.schema).toMatchObject({
      required: ['id', 'text', 'createdAt'],
      additionalProperties: false,
    });
    expect(content.schema.properties.createdAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(content.example).toMatchObject({ id: 'n-1' });
    expect(list().responses['200'].content['application/json'].schema.properties.nextCursor).toEqual({
      type: 'string',
      nullable: true,
    });
    expect((await post('/api/notes/n-1', JSON.stringify({ text: 'hello' }))).status).toBe(201);
  });

  it('when it names problems, then each status is problem+json of the shared ProblemDetails listing exactly its types', () => {
    const badRequest = list().responses['400'];
    expect(badRequest.content['application/problem+json'].schema.allOf[0]).toEqual({
      $ref: '#/components/schemas/ProblemDetails',
    });
    expect(problemTypes(list(), 400)).toEqual(['/problems/validation-failed', '/problems/invalid-cursor']);
    expect(problemTypes(list(), 401)).toEqual(['about:blank']);
    expect(list().responses['401'].headers['WWW-Authenticate']).toMatchObject({ required: true });
    expect(Object.keys(list().responses).sort()).toEqual(['200', '400', '401']);
    expect(document.components.schemas.ProblemDetails).toMatchObject({
      type: 'object',
      required: ['type', 'title', 'status', 'detail', 'instance', 'traceId'],
    });
  });

  it('when it has a body, then the refusals of reading a JSON body are declared too, each as the app answers it', async () => {
    expect(Object.keys(write().responses).sort()).toEqual(['201', '400', '404', '409', '413', '415']);
    const refusals = [
      await post('/api/notes/n-1', '{"text":'),
      await post('/api/notes/n-1', `${'['.repeat(40)}${']'.repeat(40)}`),
      await post('/api/notes/n-1', JSON.stringify({ text: 'x'.repeat(70_000) })),
      await post('/api/notes/n-1', '{}', { 'content-type': 'application/json; charset=koi8-r' }),
    ];
    for (const refusal of refusals) {
      const problem = (await refusal.json()) as { type: string; status: number };
      expect({ problem: problem.type, declared: problemTypes(write(), refusal.status) }).toEqual({
        problem: problem.type,
        declared: expect.arrayContaining([problem.type]),
      });
    }
    expect(refusals.map((refusal) => refusal.status)).toEqual([400, 400, 413, 415]);
  });

  it('when the query is refused, then the problem says the query string, not the body, was wrong', async () => {
    const response = await fetch(`${server.baseUrl}/api/notes?limit=0&colour=red`);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { type: string; detail: string; errors: unknown[] };
    expect(problemTypes(list(), 400)).toContain(problem.type);
    expect(problem.detail).toBe('The query string is not valid.');
    expect(problem.errors).toEqual(
      expect.arrayContaining([
        { field: 'colour', message: 'is not a known parameter' },
        expect.objectContaining({ field: 'limit' }),
      ]),
    );
  });

  it('when a path parameter is refused, then the problem says the path was wrong', async () => {
    const response = await post('/api/notes/NOT_A_NOTE', JSON.stringify({ text: 'hello' }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      type: '/problems/validation-failed',
      detail: 'The path is not valid.',
      errors: [expect.objectContaining({ field: 'noteId' })],
    });
  });
});

describe('addProblemResponses', () => {
  it('when a status is already declared, then its types and headers are kept and the new types added once', () => {
    const responses: Record<string, unknown> = {};
    addProblemResponses(responses, { 400: ['validation-failed'], 429: ['too-many-attempts'] });
    addProblemResponses(
      responses,
      { 400: ['invalid-path', 'validation-failed'], 429: ['rate-limited'], 502: ['upstream-failed'] },
      { 429: { RateLimit: { description: 'What is left', required: true, schema: { type: 'string' } } } },
    );
    const at = (status: string) => responses[status] as OpenApiResponse;
    expect(problemTypesOf(at('400'))).toEqual(['/problems/validation-failed', '/problems/invalid-path']);
    expect(problemTypesOf(at('429'))).toEqual(['/problems/too-many-attempts', '/problems/rate-limited']);
    expect(Object.keys(at('429').headers ?? {}).sort()).toEqual(['RateLimit', 'Retry-After']);
    expect(problemTypesOf(at('502'))).toEqual(['/problems/upstream-failed']);
    expect(at('502').description).toBe('Bad Gateway: /problems/upstream-failed');
  });
});
