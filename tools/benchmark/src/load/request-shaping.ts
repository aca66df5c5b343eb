import { randomUUID } from 'node:crypto';
import type { LoadSpec } from './load-spec.ts';

interface ShapedRequest {
  headers?: Record<string, string>;
  body?: string | Buffer;
  [field: string]: unknown;
}

/**
 * The per-request header changes of a spec, as an autocannon `setupRequest`: a fresh value of
 * `freshHeader` on each request, the next value of `cycleHeader` and the next of `cycleBodies` on
 * each request (shared by every connection of the process, so the values go round evenly).
 * Undefined when nothing changes, so autocannon can reuse one prebuilt request buffer.
 */
export function setupRequestOf(
  spec: Pick<LoadSpec, 'freshHeader' | 'cycleHeader' | 'cycleBodies'>,
  newId: () => string = randomUUID,
): (<R extends ShapedRequest>(request: R) => R) | undefined {
  const { freshHeader, cycleHeader, cycleBodies } = spec;
  if (freshHeader === undefined && cycleHeader === undefined && cycleBodies === undefined) return undefined;
  if (cycleHeader && cycleHeader.values.length === 0)
    throw new Error(`no values to cycle ${cycleHeader.name} through`);
  if (cycleBodies && cycleBodies.length === 0) throw new Error('no bodies to cycle through');
  let next = 0;
  return (request) => {
    const headers = { ...request.headers };
    if (freshHeader !== undefined) headers[freshHeader] = newId();
    if (cycleHeader)
      headers[cycleHeader.name] = cycleHeader.values[next % cycleHeader.values.length] as string;
    const body = cycleBodies ? { body: cycleBodies[next % cycleBodies.length] as string } : {};
    next += 1;
    return { ...request, headers, ...body };
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
