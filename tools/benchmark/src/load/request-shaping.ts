import { randomUUID } from 'node:crypto';
import type { LoadSpec } from './load-spec.ts';

interface ShapedRequest {
  headers?: Record<string, string>;
  [field: string]: unknown;
}

/**
 * The per-request header changes of a spec, as an autocannon `setupRequest`: a fresh value of
 * `freshHeader` on each request, the next value of `cycleHeader` on each request (shared by every
 * connection of the process, so the values go round evenly). Undefined when nothing changes, so
 * autocannon can reuse one prebuilt request buffer.
 */
export function setupRequestOf(
  spec: Pick<LoadSpec, 'freshHeader' | 'cycleHeader'>,
  newId: () => string = randomUUID,
): (<R extends ShapedRequest>(request: R) => R) | undefined {
  const { freshHeader, cycleHeader } = spec;
  if (freshHeader === undefined && cycleHeader === undefined) return undefined;
  if (cycleHeader && cycleHeader.values.length === 0)
    throw new Error(`no values to cycle ${cycleHeader.name} through`);
  let next = 0;
  return (request) => {
    const headers = { ...request.headers };
    if (freshHeader !== undefined) headers[freshHeader] = newId();
    if (cycleHeader) {
      headers[cycleHeader.name] = cycleHeader.values[next % cycleHeader.values.length] as string;
      next += 1;
    }
    return { ...request, headers };
  };
}

/** The field of a JSON body, when it is a non-empty string; undefined for anything else. */
export function stringFieldOf(body: string, field: string): string | undefined {
  try {
    const value = (JSON.parse(body) as Record<string, unknown>)[field];
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}
