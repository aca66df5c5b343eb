import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';

/** Something an app opened at start and must close on shutdown: a driver client, a pool. */
export interface Closable {
  name: string;
  close(): Promise<unknown>;
}

const CLOSABLES = Symbol('CLOSABLES');

/**
 * Closes the app's connections after Nest has stopped serving, so in-flight requests finish first,
 * one after the other in the order given: list the messaging connection before the stores its
 * handlers write to, so the handlers still in flight can finish.
 */
@Module({})
export class ConnectionsModule implements OnApplicationShutdown {
  constructor(@Inject(CLOSABLES) private readonly closables: Closable[]) {}

  static forRoot(closables: Closable[]): DynamicModule {
    return { module: ConnectionsModule, providers: [{ provide: CLOSABLES, useValue: closables }] };
  }

  async onApplicationShutdown(): Promise<void> {
    for (const closable of this.closables) await closable.close().catch(() => undefined);
  }
}
