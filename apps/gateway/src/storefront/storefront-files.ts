import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface StorefrontSettings {
  /** The built storefront (dist/apps/storefront/src). */
  directory: string;
  /** Where the page links an order's trace, `{traceId}` replaced (compose: the Jaeger UI); null: it shows the id. */
  traceUrl: string | null;
}

/** The page may load only what this origin serves, and may not be framed. */
const securityHeaders = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  // No content hashes in the file names: the browser revalidates (ETag) instead of guessing.
  'Cache-Control': 'no-cache',
};

/**
 * Serves the storefront at `/`: the files found in its build directory at start, by exact path (an
 * allow-list, so no request path reaches anything else on disk, and an API request costs one map
 * lookup), and `/storefront-config.json` for what the page cannot know by itself.
 */
export function storefrontMiddleware(settings: StorefrontSettings) {
  const files = filesOf(settings.directory);
  if (files.size === 0)
    new Logger('Storefront').warn(
      `no storefront at ${settings.directory}: build it with nx build storefront`,
    );
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  const pageConfig = JSON.stringify({ traceUrl: settings.traceUrl });
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return next();
    if (request.path === '/storefront-config.json') {
      response.set(securityHeaders).type('application/json').send(pageConfig);
      return;
    }
    const file = files.get(request.path);
    if (!file) return next();
    response.sendFile(file, { headers: securityHeaders, dotfiles: 'deny' }, (error) => {
      if (error && !response.headersSent) next(error);
    });
  };
}

function filesOf(directory: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else files.set(`/${relative(directory, path).split('\\').join('/')}`, path);
    }
  };
  if (statSync(directory, { throwIfNoEntry: false })?.isDirectory()) visit(directory);
  return files;
}
