import autocannon from 'autocannon';
import { planLoad, type LoadPhase } from './load-plan.ts';
import type { LoadResult, LoadSpec } from './load-spec.ts';
import { setupRequestOf, stringFieldOf } from './request-shaping.ts';

interface PhaseOutcome {
  ok: number;
  durationSeconds: number;
  errors: number;
}

/** Runs the spec with autocannon in this process (the load process), one instance per phase. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const plan = planLoad(spec.connections, spec.ratePerSecond);
  const setupRequest = setupRequestOf(spec);
  const latenciesMs: number[] = [];
  const collected: string[] = [];
  const statusCounts: Record<string, number> = {};
  let ok = 0;
  let non2xx = 0;
  const isMeasured = (status: number) =>
    spec.measuredStatus === undefined ? status >= 200 && status < 300 : status === spec.measuredStatus;

  const onResponse = (status: number, body: string) => {
    if (spec.collectField === undefined || status < 200 || status >= 300) return;
    const value = stringFieldOf(body, spec.collectField);
    if (value !== undefined) collected.push(value);
  };
  const request: autocannon.Request = {
    method: spec.method,
    path: spec.path,
    headers: spec.headers,
    ...(spec.body === undefined ? {} : { body: spec.body }),
    ...(setupRequest ? { setupRequest: setupRequest as autocannon.Request['setupRequest'] } : {}),
    ...(spec.collectField === undefined ? {} : { onResponse }),
  };

  const runPhase = (phase: LoadPhase) =>
    new Promise<PhaseOutcome>((resolve, reject) => {
      let phaseOk = 0;
      const instance = autocannon(
        {
          url: spec.baseUrl,
          connections: phase.connections,
          duration: spec.durationSeconds,
          requests: [request],
          ...(phase.connectionRate === undefined
            ? {}
            : // The correction is applied later with the right interval (see latency.ts).
              { connectionRate: phase.connectionRate, ignoreCoordinatedOmission: true }),
          timeout: 10,
        },
        (error, result) => {
          if (error) return reject(error);
          resolve({ ok: phaseOk, durationSeconds: result.duration, errors: result.errors });
        },
      );
      instance.on(
        'response',
        (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
          statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
          if (isMeasured(statusCode)) {
            phaseOk += 1;
            ok += 1;
            latenciesMs.push(responseTime);
          } else non2xx += 1;
        },
      );
    });

  const outcomes = await Promise.all(
    plan.phases.map(
      (phase) =>
        new Promise<PhaseOutcome>((resolve, reject) =>
          setTimeout(() => runPhase(phase).then(resolve, reject), phase.startDelayMs),
        ),
    ),
  );
  // Each phase ran its own `duration` seconds: rates add up phase by phase.
  const okPerSecond = outcomes.reduce((sum, outcome) => sum + outcome.ok / outcome.durationSeconds, 0);
  return {
    ok,
    non2xx,
    errors: outcomes.reduce((sum, outcome) => sum + outcome.errors, 0),
    statusCounts,
    okPerSecond,
    ...(plan.targetRate === undefined ? {} : { targetRate: plan.targetRate }),
    ...(plan.expectedIntervalMs === undefined ? {} : { expectedIntervalMs: plan.expectedIntervalMs }),
    latenciesMs,
    collected,
    durationSeconds: Math.max(...outcomes.map((outcome) => outcome.durationSeconds)),
  };
}
