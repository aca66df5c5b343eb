import {
  type CallHandler,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { type Observable, from, switchMap } from 'rxjs';
import { Faults } from './faults';

/** Runs the injected faults ahead of each `/v1` handler, before its parameters are even validated. */
@Injectable()
export class FaultsInterceptor implements NestInterceptor {
  constructor(@Inject(Faults) private readonly faults: Faults) {}

  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return from(this.faults.beforeCall()).pipe(switchMap(() => next.handle()));
  }
}
