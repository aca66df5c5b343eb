import { Controller, Get, Module } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { ObservabilityModule } from '@platform/observability';
import { createHttpApp } from '../src';

let quickAnswered = 0;
let releaseSlow: () => void = () => undefined;
let slowArrived: () => void = () => undefined;

@Controller()
class WorkController {
  @Get('quick')
  quick() {
    quickAnswered += 1;
    return { done: true };
  }

  @Get('slow')
  async slow() {
    slowArrived();
    await new Promise<void>((resolve) => (releaseSlow = resolve));
    return { done: true };
  }
}

@Module({
  imports: [
    ObservabilityModule.forRoot({ serviceName: 'drain-test', logLevel: 'silent', readinessChecks: [] }),
  ],
  controllers: [WorkController],
})
class DrainTestModule {}

/** What a caller got: a status, or the code of the error that ended its request. */
async function outcomeOf(answer: Promise<{ statusCode: number; body: { dump(): Promise<void> } }>) {
  try {
    const response = await answer;
    await response.body.dump();
    return String(response.statusCode);
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

// A generous bound for a busy machine: without the drain the close never ends, and this fails.
jest.setTimeout(60_000);

describe('an app built by createHttpApp, closed while a caller keeps its keep-alive connections busy', () => {
  it('then the close ends, the answer in flight is sent with Connection: close, and no request the app took is cut off', async () => {
    const app = await createHttpApp(DrainTestModule);
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    // As the gateway's pool to a service: connections kept alive and reused back to back.
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 3, keepAliveTimeout: 4000 });
    const outcomes = new Map<string, number>();
    let callersStop = false;
    const caller = async () => {
      while (!callersStop) {
        const outcome = await outcomeOf(pool.request({ method: 'GET', path: '/quick' }));
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    };
    const arrived = new Promise<void>((resolve) => (slowArrived = resolve));
    const slow = pool.request({ method: 'GET', path: '/slow' });
    await arrived;
    const callers = [caller(), caller()];
    while ((outcomes.get('200') ?? 0) < 20) await new Promise((resolve) => setImmediate(resolve));

    const closed = app.close();
    // The close's hooks run first; the answer in flight is sent once the server has stopped listening.
    while (app.getHttpServer().listening) await new Promise((resolve) => setImmediate(resolve));
    releaseSlow();
    const slowAnswer = await slow;
    // Without the drain, the callers' connections are never idle and this waits for ever.
    await closed;
    callersStop = true;
    await Promise.all(callers);
    await pool.close();

    expect(slowAnswer.statusCode).toBe(200);
    expect(slowAnswer.headers['connection']).toBe('close');
    await slowAnswer.body.dump();
    // Every request the app took was answered. The others were refused once the server stopped
    // listening, or (rarely) met a connection that Node's close found idle and ended as they were
    // sent: the app never saw them, and a balancing caller sends them to another instance.
    expect(outcomes.get('200')).toBe(quickAnswered);
    expect(
      [...outcomes.keys()].filter((outcome) => !['200', 'ECONNREFUSED', 'UND_ERR_SOCKET'].includes(outcome)),
    ).toEqual([]);
  });
});
