import { Controller, Get, Inject, Logger, Param, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { AccessTokenVerifier, authenticateBearer, authenticationProblems } from '@platform/auth';
import { ApiContract, ProblemException } from '@platform/http';
import { TRACE_SOURCE } from './trace-source.token';
import { type TraceSource, TraceSourceUnavailable } from './trace-source';
import { traceResponse } from './traces.response';

const traceIdPattern = /^[0-9a-f]{32}$/;

/**
 * `GET /api/traces/{traceId}`: a trace's spans for the storefront's trace view, from Jaeger where
 * the platform exports there and from the process's own memory in the embedded profile. For signed-in
 * callers: a trace id is 128 random bits, known to whoever made the request (its `X-Trace-Id`).
 */
@ApiTags('traces')
@Controller('api/traces')
export class TracesController {
  private readonly logger = new Logger('Traces');

  constructor(
    @Inject(TRACE_SOURCE) private readonly source: TraceSource | null,
    @Inject(AccessTokenVerifier) private readonly verifier: AccessTokenVerifier,
  ) {}

  @Get(':traceId')
  @ApiBearerAuth()
  @ApiContract({
    summary: "A trace's spans, for the storefront's trace view",
    description: 'Spans arrive asynchronously: 404 until the first of the trace has.',
    params: z.object({
      traceId: z.string().regex(traceIdPattern).meta({ description: 'The X-Trace-Id of a response.' }),
    }),
    success: { status: 200, description: 'The spans, by start time.', body: traceResponse },
    problems: [
      authenticationProblems,
      { 400: ['validation-failed'], 404: ['about:blank'], 503: ['about:blank'] },
    ],
  })
  async trace(@Param('traceId') traceId: string, @Req() request: Request) {
    await authenticateBearer(request.headers.authorization, this.verifier, this.logger);
    if (!traceIdPattern.test(traceId))
      throw new ProblemException({
        status: 400,
        type: 'validation-failed',
        detail: 'A trace id is 32 lowercase hexadecimal digits.',
      });
    if (!this.source)
      throw new ProblemException({
        status: 404,
        detail: 'No trace source is configured (JAEGER_QUERY_URL).',
      });
    let spans;
    try {
      spans = await this.source.find(traceId);
    } catch (error) {
      if (!(error instanceof TraceSourceUnavailable)) throw error;
      this.logger.warn({ err: error }, 'trace source unavailable');
      throw new ProblemException({
        status: 503,
        detail: 'Traces cannot be read right now.',
        headers: { 'Retry-After': '5' },
      });
    }
    if (!spans)
      throw new ProblemException({ status: 404, detail: 'No spans of this trace have arrived (yet).' });
    return { traceId, spans };
  }
}
