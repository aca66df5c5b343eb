import { request } from 'undici';
import { roleProblems } from '@platform/auth';
import {
  type OpenApiHeader,
  type ProblemStatuses,
  addProblemResponses,
  jsonBodyProblems,
  withProblemDetailsSchema,
} from '@platform/http';
import { type PathResolution, resolvePath } from '../routing/request-path';
import type { Route } from '../routing/route-table';

/** The parts of an OpenAPI 3 document the merge reads; everything else is carried over as is. */
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  tags?: { name: string }[];
  [extension: string]: unknown;
}

interface Operation {
  requestBody?: unknown;
  security?: unknown[];
  responses?: Record<string, unknown>;
  [field: string]: unknown;
}

export interface UpstreamDocumentSource {
  name: string;
  baseUrl: string;
}

const fetchTimeoutMs = 2000;
const freshForMs = 30_000;
const httpMethods = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/** What the gateway answers itself on every forwarded operation: its rate limit, and its upstream's failures. */
const forwardedProblems: ProblemStatuses = {
  429: ['rate-limited'],
  502: ['upstream-failed'],
  503: ['upstream-unavailable'],
  504: ['upstream-timeout'],
};

/** Where an operation takes a body: the gateway reads it (`readJsonBody`) and takes JSON only. */
const bodyProblems: ProblemStatuses = {
  ...jsonBodyProblems,
  415: ['unsupported-encoding', 'unsupported-media-type'],
};

/** Any path parameter can be made a dot segment or a backslash, which the gateway refuses. */
const pathProblems: ProblemStatuses = { 400: ['invalid-path'] };

/** Every forwarded answer carries the caller's bucket (`RateLimitGate`); on a 429 it is how long to wait. */
const rateLimitHeaders: Record<number, Record<string, OpenApiHeader>> = {
  429: {
    'RateLimit-Policy': {
      description: 'The caller\'s quota and window, e.g. `"user";q=600;w=60`.',
      required: true,
      schema: { type: 'string' },
    },
    RateLimit: {
      description: 'What is left of it, e.g. `"user";r=0;t=42`.',
      required: true,
      schema: { type: 'string' },
    },
  },
};

/**
 * The public API as one OpenAPI document, made from the documents each upstream generates from its
 * own controllers (`/openapi.json`) and the gateway's own, keeping exactly the operations of the
 * route table, under their public paths, with the problems the gateway itself adds to each. Written
 * by no one by hand. An upstream that cannot be read is named in `x-unavailable-upstreams` and its
 * operations are missing until it answers again; an operation of the table that no document
 * describes is named in `x-undocumented-operations`. A complete document is cached for a short while.
 */
export class PublicApiDocument {
  private cached?: { document: OpenApiDocument; until: number };
  private own?: OpenApiDocument;

  constructor(
    private readonly sources: readonly UpstreamDocumentSource[],
    private readonly routes: readonly Route[],
  ) {}

  /** The gateway's own document (`openApiDocumentOf` its app, an OpenAPIObject), once its app exists. */
  includeOwn(document: object): void {
    this.own = document as OpenApiDocument;
    this.cached = undefined;
  }

  async current(): Promise<OpenApiDocument> {
    if (this.cached && this.cached.until > Date.now()) return this.cached.document;
    const fetched = await Promise.all(
      this.sources.map(async (source) => ({ source, document: await this.fetchDocument(source) })),
    );
    const document = this.merge(fetched);
    if (fetched.every(({ document: upstream }) => upstream))
      this.cached = { document, until: Date.now() + freshForMs };
    return document;
  }

  private async fetchDocument(source: UpstreamDocumentSource): Promise<OpenApiDocument | undefined> {
    try {
      const response = await request(`${source.baseUrl}/openapi.json`, {
        headersTimeout: fetchTimeoutMs,
        bodyTimeout: fetchTimeoutMs,
      });
      if (response.statusCode !== 200) {
        await response.body.dump();
        return undefined;
      }
      return (await response.body.json()) as OpenApiDocument;
    } catch {
      return undefined;
    }
  }

  private merge(
    fetched: { source: UpstreamDocumentSource; document: OpenApiDocument | undefined }[],
  ): OpenApiDocument {
    const merged: OpenApiDocument = withProblemDetailsSchema({
      openapi: '3.0.0',
      info: {
        title: 'Platform public API',
        version: '1',
        description:
          'Generated from the services’ own controllers and schemas; served by the gateway, the only public entry point. ' +
          'A method a path does not answer is a 405 problem with `Allow`; a path not described here is a 404.',
      },
      paths: {},
      components: {
        schemas: {},
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      tags: [],
    });
    const unavailable: string[] = [];
    const described = new Set<string>();
    const documents = [
      ...fetched,
      ...(this.own ? [{ source: { name: 'gateway', baseUrl: '' }, document: this.own }] : []),
    ];
    for (const { source, document } of documents) {
      if (!document) {
        unavailable.push(source.name);
        continue;
      }
      described.add(source.name);
      for (const [path, item] of Object.entries(document.paths))
        for (const [method, operation] of Object.entries(item)) {
          if (!httpMethods.includes(method)) continue;
          const publicPath = this.publicPathOf(path, source.name);
          const resolution = resolvePath(publicPath.replace(/\{[^}]+\}/g, 'x'), this.routes);
          if (!this.isServed(resolution, source.name, method)) continue;
          merged.paths[publicPath] ??= {};
          merged.paths[publicPath][method] = publicOperationOf(
            operation as Operation,
            publicPath,
            resolution,
          );
        }
      Object.assign(merged.components?.schemas ?? {}, document.components?.schemas);
      for (const tag of document.tags ?? [])
        if (!merged.tags?.some((known) => known.name === tag.name)) merged.tags?.push(tag);
    }
    if (unavailable.length > 0) merged['x-unavailable-upstreams'] = unavailable;
    const undocumented = this.routes
      .filter((route) => described.has(route.upstream))
      .flatMap((route) =>
        Object.entries(route.operations).flatMap(([path, methods]) =>
          methods
            .filter((method) => !merged.paths[path]?.[method.toLowerCase()])
            .map((method) => `${method} ${path}`),
        ),
      );
    if (undocumented.length > 0) merged['x-undocumented-operations'] = undocumented;
    return merged;
  }

  /** A path of an upstream's document as the public calls it: under the route's public prefix where the gateway rewrites it. */
  private publicPathOf(path: string, upstream: string): string {
    for (const { rewrite } of this.routes.filter((route) => route.upstream === upstream))
      if (rewrite && (path === rewrite.to || path.startsWith(`${rewrite.to}/`)))
        return `${rewrite.from}${path.slice(rewrite.to.length)}`;
    return path;
  }

  private isServed(resolution: PathResolution, source: string, method: string): boolean {
    if (resolution.kind === 'own') return source === 'gateway' && answers(resolution.methods, method);
    return (
      resolution.kind === 'routed' && resolution.upstream === source && answers(resolution.methods, method)
    );
  }
}

function answers(methods: readonly string[], method: string): boolean {
  return methods.includes(method.toUpperCase());
}

/** The operation as the gateway serves it: with the problems the gateway itself may answer instead of the upstream. */
function publicOperationOf(operation: Operation, path: string, resolution: PathResolution): Operation {
  const responses = structuredClone(operation.responses ?? {});
  const security = resolution.kind === 'routed' && resolution.role ? { security: [{ bearer: [] }] } : {};
  if (resolution.kind === 'routed') {
    addProblemResponses(responses, forwardedProblems, rateLimitHeaders);
    if (resolution.role) addProblemResponses(responses, roleProblems);
  }
  if (path.includes('{')) addProblemResponses(responses, pathProblems);
  if (operation.requestBody !== undefined && resolution.kind === 'routed')
    addProblemResponses(responses, bodyProblems);
  return { ...operation, ...security, responses };
}
