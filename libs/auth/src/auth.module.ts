import { type DynamicModule, Module } from '@nestjs/common';
import { AccessTokenGuard } from './access-token.guard';
import { AccessTokenVerifier, type AccessTokenVerifierOptions } from './access-token-verifier';
import { type AuthServiceConfig, jwksUrlOf } from './auth-service-config';

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

  /** Verifies tokens against the auth service's published key set, as configured by `authServiceEnv`. */
  static forService(config: AuthServiceConfig): DynamicModule {
    return AuthModule.forRoot({
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      jwks: { url: jwksUrlOf(config.AUTH_URL) },
    });
  }
}
