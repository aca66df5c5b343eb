import { HttpCode, applyDecorators } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import type { z } from 'zod';
import { problemDetailsSchema, problemTypeOf } from './problem';
import { titleOf } from './status-texts';
import { openApiSchemaOf } from './zod-validation.pipe';

type Schema = Record<string, unknown>;

/** An OpenAPI response object, as the documents hold it. */
export interface OpenApiResponse {
  description: string;
  headers?: Record<string, OpenApiHeader>;
  content?: Record<string, { schema: Schema; example?: unknown }>;
}

export interface OpenApiHeader {
  description: string;
  required?: boolean;
  schema: Schema;
}

/** Each problem status an operation answers, with the `type` names it can carry there (`about:blank` for a plain HTTP error). */
export type ProblemStatuses = Readonly<Record<number, readonly string[]>>;

export interface ResponseHeader {
  description: string;
  required?: boolean;
  schema?: z.ZodType;
}

export interface SuccessResponse {
  status: number;
  description: string;
  /** Its body, converted as output (what the server writes); none for a response without content. */
  body?: z.ZodType;
  /** `application/json` unless said otherwise. */
  mediaType?: string;
  headers?: Record<string, ResponseHeader>;
  example?: unknown;
}

/** An operation's whole contract, every part of it from the zod schemas the handler validates with. */
export interface OperationContract {
  summary: string;
  description?: string;
  /** One path parameter per field. */
  params?: z.ZodObject;
  /** One query parameter per field; a field with a default or `.optional()` is not required. */
  query?: z.ZodObject;
  /** One request header per field, named as the field. */
  headers?: z.ZodObject;
  /**
   * The JSON body, required unless `{}` is valid (ZodValidationPipe reads a missing body as `{}`);
   * declaring one also declares the refusals of reading it (`jsonBodyProblems`).
   */
  body?: z.ZodType;
  /** A body that works, for the document's readers and its examples. */
  bodyExample?: unknown;
  success: SuccessResponse;
  /**
   * Every problem the operation itself answers (the gateway adds those of the edge), or several
   * such maps merged, e.g. `[authenticationProblems, { 404: ['about:blank'] }]`.
   */
  problems: ProblemStatuses | readonly ProblemStatuses[];
}

/** Where every document keeps the problem schema; `withProblemDetailsSchema` puts it there. */
const problemDetailsSchemaName = 'ProblemDetails';
const problemDetailsRef = `#/components/schemas/${problemDetailsSchemaName}`;
const problemMediaType = 'application/problem+json';

/** How `readJsonBody` (json-body.ts) refuses a body: wherever a JSON body is read, these can answer. */
export const jsonBodyProblems: ProblemStatuses = {
  400: ['invalid-json', 'body-too-deep'],
  413: ['body-too-large'],
  415: ['unsupported-encoding'],
};

const retryAfter: OpenApiHeader = {
  description: 'Seconds to wait before trying again.',
  required: true,
  schema: { type: 'integer', minimum: 1 },
};

/** Headers the platform sends with every problem of a status (`authenticateBearer`, the 429s and 503s). */
const headersOfStatus: Readonly<Record<number, Record<string, OpenApiHeader>>> = {
  401: {
    'WWW-Authenticate': {
      description: 'The Bearer challenge (RFC 6750).',
      required: true,
      schema: { type: 'string', example: 'Bearer error="invalid_token"' },
    },
  },
  429: { 'Retry-After': retryAfter },
  503: { 'Retry-After': retryAfter },
};

/**
 * Declares an operation's contract to the OpenAPI document: its summary, parameters, headers and
 * body with the constraints their zod schemas enforce, its success status (also set as the
 * handler's status) with the schema of what it answers, and each problem status with the problem
 * `type`s it can carry, as `application/problem+json` with the shared ProblemDetails schema.
 */
export function ApiContract(contract: OperationContract): MethodDecorator {
  const { success } = contract;
  const responses: Record<string, OpenApiResponse> = {};
  for (const problems of listOf(contract.problems)) addProblemResponses(responses, problems);
  if (contract.body) addProblemResponses(responses, jsonBodyProblems);
  return applyDecorators(
    ApiOperation({
      summary: contract.summary,
      ...(contract.description && { description: contract.description }),
    }),
    ...fieldsOf(contract.params).map((field) => ApiParam({ ...field, required: true })),
    ...fieldsOf(contract.query).map((field) => ApiQuery(field)),
    ...fieldsOf(contract.headers).map((field) => ApiHeader(field)),
    ...(contract.body
      ? [
          ApiBody({
            // ZodValidationPipe reads a missing body as {}: where {} is valid, so is no body at all.
            required: !contract.body.safeParse({}).success,
            schema: bodySchemaOf(contract.body, contract.bodyExample),
          }),
        ]
      : []),
    HttpCode(success.status),
    ApiResponse({ status: success.status, ...successResponseOf(success) }),
    ...Object.entries(responses).map(([status, response]) =>
      ApiResponse({ status: Number(status), ...response }),
    ),
  );
}

/**
 * Adds problem responses to an operation's `responses`: a status it has already gets the new
 * `type`s added to those it lists, and headers it lacks; any other status is added whole.
 */
export function addProblemResponses(
  responses: Record<string, unknown>,
  problems: ProblemStatuses,
  headers: Readonly<Record<number, Record<string, OpenApiHeader>>> = {},
): void {
  for (const [statusText, names] of Object.entries(problems)) {
    const status = Number(statusText);
    const existing = responses[statusText] as OpenApiResponse | undefined;
    const types = [...new Set([...(existing ? problemTypesOf(existing) : []), ...names.map(problemTypeOf)])];
    const allHeaders = { ...headersOfStatus[status], ...headers[status], ...existing?.headers };
    responses[statusText] = {
      description: `${titleOf(status)}: ${types.join(', ')}`,
      ...(Object.keys(allHeaders).length > 0 && { headers: allHeaders }),
      content: {
        ...existing?.content,
        [problemMediaType]: {
          schema: {
            allOf: [
              { $ref: problemDetailsRef },
              {
                type: 'object',
                properties: {
                  type: { type: 'string', enum: types },
                  status: { type: 'integer', enum: [status] },
                },
              },
            ],
          },
        },
      },
    } satisfies OpenApiResponse;
  }
}

/** The problem `type`s a response lists (those `addProblemResponses` wrote). */
export function problemTypesOf(response: OpenApiResponse): string[] {
  const schema = response.content?.[problemMediaType]?.schema as { allOf?: Schema[] } | undefined;
  const narrowing = schema?.allOf?.[1] as { properties?: { type?: { enum?: string[] } } } | undefined;
  return narrowing?.properties?.type?.enum ?? [];
}

/** The document with the ProblemDetails schema the problem responses refer to. */
export function withProblemDetailsSchema<
  Document extends { components?: { schemas?: Record<string, unknown> } },
>(document: Document): Document {
  const components = document.components ?? {};
  return {
    ...document,
    components: {
      ...components,
      schemas: {
        ...components.schemas,
        [problemDetailsSchemaName]: openApiSchemaOf(problemDetailsSchema, 'output'),
      },
    },
  };
}

function listOf(problems: ProblemStatuses | readonly ProblemStatuses[]): readonly ProblemStatuses[] {
  return isList(problems) ? problems : [problems];
}

function isList(
  problems: ProblemStatuses | readonly ProblemStatuses[],
): problems is readonly ProblemStatuses[] {
  return Array.isArray(problems);
}

function bodySchemaOf(body: z.ZodType, example: unknown): Schema {
  return { ...openApiSchemaOf(body), ...(example !== undefined && { example }) };
}

function successResponseOf(success: SuccessResponse): OpenApiResponse {
  const headers = Object.entries(success.headers ?? {}).map(([name, header]) => [
    name,
    {
      description: header.description,
      ...(header.required !== undefined && { required: header.required }),
      schema: header.schema ? openApiSchemaOf(header.schema, 'output') : { type: 'string' },
    },
  ]);
  return {
    description: success.description,
    ...(headers.length > 0 && { headers: Object.fromEntries(headers) }),
    ...(success.body && {
      content: {
        [success.mediaType ?? 'application/json']: {
          schema: openApiSchemaOf(success.body, 'output'),
          ...(success.example !== undefined && { example: success.example }),
        },
      },
    }),
  };
}

interface Field {
  name: string;
  required: boolean;
  schema: Schema;
  description?: string;
  example?: unknown;
}

/** The fields of an object schema as parameters: each with its own schema, its description and example lifted out. */
function fieldsOf(object: z.ZodObject | undefined): Field[] {
  if (!object) return [];
  const schema = openApiSchemaOf(object) as { properties?: Record<string, Schema>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const { description, example, ...rest } = property;
    return {
      name,
      required: schema.required?.includes(name) ?? false,
      schema: rest,
      ...(typeof description === 'string' && { description }),
      ...(example !== undefined && { example }),
    };
  });
}
