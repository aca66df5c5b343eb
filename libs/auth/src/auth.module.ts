import { type DynamicModule, Module } from '@nestjs/common';
import { AccessTokenGuard } from './access-token.guard';
import { AccessTokenVerifier, type AccessTokenVerifierOptions } from './access-token-verifier';

/** Provides the verifier and the guard to every module of the app, so `@Authenticated()` works anywhere. */
@Module({})
export class AuthModule {
  static forRoot(options: AccessTokenVerifierOptions): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AccessTokenVerifier, useValue: new AccessTokenVerifier(options) },
        AccessTokenGuard,
      ],
      exports: [AccessTokenVerifier, AccessTokenGuard],
    };
  }
}
