import { type DynamicModule, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';

/** Something an app opened at start and must close on shutdown: a driver client, a pool. */
export interface Closable {
  name: string;
  close(): Promise<unknown>;
}

const CLOSABLES = Symbol('CLOSABLES');

/** Closes the app's connections after Nest has stopped serving, so in-flight requests finish first. */
@Module({})
export class ConnectionsModule implements OnApplicationShutdown {
  constructor(@Inject(CLOSABLES) private readonly closables: Closable[]) {}

  static forRoot(closables: Closable[]): DynamicModule {
    return { module: ConnectionsModule, providers: [{ provide: CLOSABLES, useValue: closables }] };
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled(this.closables.map((closable) => closable.close()));
  }
}
