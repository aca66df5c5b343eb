import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessTokenVerifier, authenticateBearer } from '@platform/auth';
import type { RequestWithBody } from '@platform/http';
import { inThisContext } from '@platform/observability';
import type { PathResolution } from '../routing/request-path';
import { type AdminAction, outcomeOf } from './admin-action';
import { ADMIN_AUDIT_LOG, type AdminAuditLog } from './admin-audit-log';

/** Methods that change nothing; everything else on an admin route is an admin action. */
const readOnlyMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The body fields that say what an admin changed: a product's (POST /api/products), a restock's
 * quantity, the simulator's fault knobs. An allow-list, so nothing else a body carries is kept.
 */
const detailFields = [
  'sku',
  'name',
  'priceCents',
  'currency',
  'initialStock',
  'quantity',
  'latencyMs',
  'errorRate',
  'outage',
];
const longestDetailText = 200;
const longestPath = 512;

/**
 * The routes whose state-changing requests are admin actions: every role-checked route (the
 * simulator's fault knobs) and the product catalogue, whose writes (create, restock) inventory
 * allows admins only.
 */
function isAdminRoute(resolution: Extract<PathResolution, { kind: 'routed' }>): boolean {
  return resolution.role === 'admin' || resolution.upstream === 'inventory';
}

/**
 * Records every state-changing request to an admin route once its response has finished: who
 * (from the verified access token, never the token itself), what (method, path, allow-listed body
 * fields), how it ended (status, outcome; refused attempts too) and its trace id. The proxy calls
 * it before anything can refuse the request; recording never delays or fails the request: a store
 * that cannot be reached is logged.
 */
@Injectable()
export class AdminAuditRecorder {
  private readonly logger = new Logger('AdminAudit');

  constructor(
    @Inject(ADMIN_AUDIT_LOG) private readonly log: AdminAuditLog,
    @Inject(AccessTokenVerifier) private readonly verifier: Pick<AccessTokenVerifier, 'verify'>,
  ) {}

  watch(
    request: RequestWithBody,
    response: ServerResponse,
    resolution: Extract<PathResolution, { kind: 'routed' }>,
  ): void {
    if (!readOnlyMethods.has(request.method ?? 'GET') && isAdminRoute(resolution)) {
      // Verified now, while the request is current: who the token said the caller was when it asked.
      const actor = authenticateBearer(request.headers.authorization, this.verifier, this.logger).then(
        (user) => ({ id: user.id, roles: user.roles }),
        () => null,
      );
      const record = () => {
        const status = response.headersSent ? response.statusCode : null;
        void actor
          .then((who) =>
            this.log.record({
              at: new Date().toISOString(),
              actor: who,
              method: request.method ?? '',
              path: pathOf(request),
              status,
              outcome: outcomeOf(status),
              traceId: String(response.getHeader('x-trace-id') ?? ''),
              ...detailsOf(request.body),
            }),
          )
          .catch((error: unknown) =>
            this.logger.warn(
              { err: error, path: pathOf(request) },
              'admin action not recorded in the audit log',
            ),
          );
      };
      // In the request's context: the audit log's write belongs to the request's trace.
      response.once('close', inThisContext(record));
    }
  }
}

function pathOf(request: IncomingMessage): string {
  return (request.url?.split('?')[0] ?? '').slice(0, longestPath);
}

/** The allow-listed fields of the JSON body, where it was read (a request refused before that has none). */
function detailsOf(body: unknown): Pick<AdminAction, 'details'> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  const details: NonNullable<AdminAction['details']> = {};
  for (const field of detailFields) {
    const value: unknown = (body as Record<string, unknown>)[field];
    if (typeof value === 'string') details[field] = value.slice(0, longestDetailText);
    else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean')
      details[field] = value;
  }
  return Object.keys(details).length > 0 ? { details } : {};
}
