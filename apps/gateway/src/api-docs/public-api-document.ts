import { request } from 'undici';
import { resolvePath } from '../routing/request-path';
import type { Route } from '../routing/route-table';

/** The parts of an OpenAPI 3 document the merge reads; everything else is carried over as is. */
interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; securitySchemes?: Record<string, unknown> };
  tags?: { name: string }[];
  [extension: string]: unknown;
}

export interface UpstreamDocumentSource {
  name: string;
  baseUrl: string;
}

const fetchTimeoutMs = 2000;
const freshForMs = 30_000;

/**
 * The public API as one OpenAPI document, made from the documents each upstream generates from its
 * own controllers (`/openapi.json`), keeping only the paths the route table exposes. Written by no
 * one by hand. An upstream that cannot be read is named in `x-unavailable-upstreams` and its paths
 * are missing until it answers again; a complete document is cached for a short while.
 */
export class PublicApiDocument {
  private cached?: { document: OpenApiDocument; until: number };

  constructor(
    private readonly sources: readonly UpstreamDocumentSource[],
    private readonly routes: readonly Route[],
  ) {}

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
    const merged: OpenApiDocument = {
      openapi: '3.0.0',
      info: {
        title: 'Platform public API',
        version: '1',
        description:
          'Generated from the services’ own controllers and schemas; served by the gateway, the only public entry point.',
      },
      paths: {},
      components: {
        schemas: {},
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      },
      tags: [],
    };
    const unavailable: string[] = [];
    for (const { source, document } of fetched) {
      if (!document) {
        unavailable.push(source.name);
        continue;
      }
      for (const [path, item] of Object.entries(document.paths)) {
        const resolution = resolvePath(path.replace(/\{[^}]+\}/g, 'x'), this.routes);
        if (resolution.kind === 'routed') merged.paths[path] = item;
      }
      Object.assign(merged.components?.schemas ?? {}, document.components?.schemas);
      for (const tag of document.tags ?? [])
        if (!merged.tags?.some((known) => known.name === tag.name)) merged.tags?.push(tag);
    }
    if (unavailable.length > 0) merged['x-unavailable-upstreams'] = unavailable;
    return merged;
  }
}
