import { EventEmitter } from 'node:events';
import { context, createContextKey } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { inThisContext } from './server-span';

describe('inThisContext', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(manager.enable()));
  afterAll(() => {
    context.disable();
  });

  it('when the event is emitted outside the context the listener was added in, then the listener runs in that context', () => {
    const key = createContextKey('request');
    const emitter = new EventEmitter();
    const seen: unknown[] = [];
    context.with(context.active().setValue(key, 'request-1'), () => {
      emitter.once(
        'close',
        inThisContext(() => seen.push(context.active().getValue(key))),
      );
      emitter.once('close', () => seen.push(context.active().getValue(key)));
    });
    emitter.emit('close');
    expect(seen).toEqual(['request-1', undefined]);
  });
});
