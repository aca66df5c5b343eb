import { type ExecutionContext, type Operation, type Policy, compose } from './policy';

/** A policy that records when it is entered and left. */
function tracing(name: string, trace: string[]): Policy {
  return {
    async run<T>(next: Operation<T>, context: ExecutionContext): Promise<T> {
      trace.push(`${name}:in`);
      try {
        return await next(context);
      } finally {
        trace.push(`${name}:out`);
      }
    },
  };
}

describe('compose', () => {
  it('when policies are composed, then the first given is outermost', async () => {
    const trace: string[] = [];
    const result = await compose(tracing('a', trace), tracing('b', trace)).execute(async () => {
      trace.push('call');
      return 42;
    });
    expect(result).toBe(42);
    expect(trace).toEqual(['a:in', 'b:in', 'call', 'b:out', 'a:out']);
  });

  it('when the caller has already given up, then nothing runs', async () => {
    const call = jest.fn(async () => 1);
    const caller = new AbortController();
    caller.abort(new Error('gone'));
    await expect(compose().execute(call, { signal: caller.signal })).rejects.toThrow('gone');
    expect(call).not.toHaveBeenCalled();
  });
});
