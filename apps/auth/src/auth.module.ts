import { type DynamicModule, Module } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuthModule } from '@platform/auth';
import { ObservabilityModule, type ReadinessCheck } from '@platform/observability';
import { type Closable, ConnectionsModule } from '@platform/persistence';
import type { AuthConfig } from './config';
import { AuthErrorsInterceptor } from './http-edge/auth-errors.interceptor';
import { JwksController } from './jwks/jwks.controller';
import { LogIn } from './login/log-in';
import { LoginController } from './login/login.controller';
import { LogOut } from './logout/log-out';
import { LogoutController } from './logout/logout.controller';
import { MeController } from './me/me.controller';
import { RefreshController } from './refresh/refresh.controller';
import { RotateRefreshToken } from './refresh/rotate-refresh-token';
import { RegisterController } from './register/register.controller';
import { RegisterUser } from './register/register-user';
import { SigningKeys } from './signing-keys/signing-keys';
import { USERS_REPOSITORY, type UsersRepository } from './users/users.repository.port';

/** Everything createApp built before Nest starts: adapters chosen by profile, use cases wired to them. */
export interface AuthComponents {
  users: UsersRepository;
  signingKeys: SigningKeys;
  registerUser: RegisterUser;
  logIn: LogIn;
  rotateRefreshToken: RotateRefreshToken;
  logOut: LogOut;
  readinessChecks: ReadinessCheck[];
  closables: Closable[];
  metricsRegistry: Registry;
}

@Module({})
export class AuthServiceModule {
  static forRoot(config: AuthConfig, components: AuthComponents): DynamicModule {
    return {
      module: AuthServiceModule,
      imports: [
        ObservabilityModule.forRoot({
          serviceName: 'auth',
          logLevel: config.LOG_LEVEL,
          logFormat: config.LOG_FORMAT,
          readinessChecks: components.readinessChecks,
          metricsRegistry: components.metricsRegistry,
        }),
        ConnectionsModule.forRoot(components.closables),
        // This service verifies its own tokens against its own keys: no HTTP round trip to itself.
        AuthModule.forRoot({
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
          jwks: { local: async () => components.signingKeys.publicJwks },
        }),
      ],
      controllers: [
        RegisterController,
        LoginController,
        RefreshController,
        LogoutController,
        MeController,
        JwksController,
      ],
      providers: [
        { provide: APP_INTERCEPTOR, useClass: AuthErrorsInterceptor },
        { provide: USERS_REPOSITORY, useValue: components.users },
        { provide: SigningKeys, useValue: components.signingKeys },
        { provide: RegisterUser, useValue: components.registerUser },
        { provide: LogIn, useValue: components.logIn },
        { provide: RotateRefreshToken, useValue: components.rotateRefreshToken },
        { provide: LogOut, useValue: components.logOut },
      ],
    };
  }
}
