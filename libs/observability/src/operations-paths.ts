/** The operations endpoints: probes and the scrape. No imports, so tracing can load it before Nest. */
export const operationsPaths: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);

/** As the router matches them: any case, a trailing slash or not, any query. */
export function isOperationsPath(url: string | undefined): boolean {
  const path = (url ?? '').split('?')[0] ?? '';
  return operationsPaths.has(path.toLowerCase().replace(/(?<=.)\/$/, ''));
}
