/** The operations endpoints: probes and the scrape. No imports, so tracing can load it before Nest. */
export const operationsPaths: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** The operations endpoint `url` names, as the router matches them (any case, a trailing slash or not, any query); undefined for any other. */
export function operationsPathOf(url: string | undefined): string | undefined {
  const path = (url ?? '').split('?')[0] ?? '';
  const normalized = path.toLowerCase().replace(/(?<=.)\/$/, '');
  return operationsPaths.has(normalized) ? normalized : undefined;
}

/** As the router matches them: any case, a trailing slash or not, any query. */
export function isOperationsPath(url: string | undefined): boolean {
  return operationsPathOf(url) !== undefined;
}
