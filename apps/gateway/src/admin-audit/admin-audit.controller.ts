import { Controller, Get, Headers, Inject, Logger, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { AccessTokenVerifier, authenticateBearer, roleProblems, rolesRefused } from '@platform/auth';
import { ApiContract, ProblemException } from '@platform/http';
import { adminActionSchema } from './admin-action';
import { ADMIN_AUDIT_LOG, type AdminAuditLog, AdminAuditUnavailable } from './admin-audit-log';
import { decodeCursor, encodeCursor } from './audit-cursor';

const defaultPageSize = 20;
const maxPageSize = 100;

/** The query string of GET /api/admin/audit; anything else in it is refused. */
const listAuditQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,3}$/, `must be a whole number from 1 to ${maxPageSize}`)
    .transform(Number)
    .pipe(z.number().int().min(1).max(maxPageSize))
    .default(defaultPageSize),
  cursor: z.string().min(1).max(200).optional(),
});

const auditPageSchema = z.object({
  items: z.array(adminActionSchema.extend({ id: z.string() })),
  nextCursor: z.string().nullable(),
});

/**
 * `GET /api/admin/audit`: the admin actions that went through the gateway (who changed which
 * product or fault knob, when, and how it ended), newest first, a page at a time. Admins only.
 */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('api/admin/audit')
export class AdminAuditController {
  private readonly logger = new Logger('AdminAudit');

  constructor(
    @Inject(ADMIN_AUDIT_LOG) private readonly log: AdminAuditLog,
    @Inject(AccessTokenVerifier) private readonly verifier: Pick<AccessTokenVerifier, 'verify'>,
  ) {}

  @Get()
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: maxPageSize } })
  @ApiQuery({
    name: 'cursor',
    required: false,
    description: 'nextCursor of the previous page',
    schema: { type: 'string', minLength: 1, maxLength: 200 },
  })
  @ApiContract({
    summary: 'The admin actions that went through the gateway, newest first (admin)',
    success: { status: 200, description: 'Admin actions, newest first.', body: auditPageSchema },
    problems: [roleProblems, { 400: ['validation-failed', 'invalid-cursor'], 503: ['about:blank'] }],
  })
  async list(
    @Query() query: unknown,
    @Res({ passthrough: true }) response: Response,
    @Headers('authorization') authorization?: string,
  ) {
    // Set first, so the problems below carry it too: who did what is nothing for a cache to keep.
    response.setHeader('Cache-Control', 'no-store');
    const caller = await authenticateBearer(authorization, this.verifier, this.logger);
    if (!caller.roles.includes('admin')) throw rolesRefused();
    const { limit, cursor } = parsedQuery(query);
    try {
      const page = await this.log.page(limit, cursor === undefined ? undefined : decodeCursor(cursor));
      const last = page.entries.at(-1);
      return { items: page.entries, nextCursor: page.more && last ? encodeCursor(last.id) : null };
    } catch (error) {
      if (!(error instanceof AdminAuditUnavailable)) throw error;
      this.logger.warn({ err: error.cause }, 'admin audit log unavailable');
      throw new ProblemException({
        status: 503,
        detail: 'The audit log cannot be read right now.',
        headers: { 'Retry-After': '5' },
      });
    }
  }
}

function parsedQuery(query: unknown): z.output<typeof listAuditQuery> {
  const result = listAuditQuery.safeParse(query ?? {});
  if (result.success) return result.data;
  throw new ProblemException({
    status: 400,
    type: 'validation-failed',
    detail: 'The query string is not valid.',
    extensions: {
      errors: result.error.issues.map((issue) => ({
        field: issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.'),
        message: issue.code === 'unrecognized_keys' ? 'is not a known parameter' : issue.message,
      })),
    },
  });
}
