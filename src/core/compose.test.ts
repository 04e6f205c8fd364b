import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compose, NextCalledTwiceError } from './compose.js';
import type { DnsContext, Middleware } from './types.js';

// compose never looks inside the context: a bare object is enough here.
const ctx = {} as DnsContext;

/** Runs a chain without an outer next; compose always returns a promise. */
function run(middlewares: Middleware[]): Promise<void> {
  return compose(middlewares)(ctx, undefined as never) as Promise<void>;
}

function recorder(log: string[], name: string): Middleware {
  return async (_ctx, next) => {
    log.push(`${name} in`);
    await next();
    log.push(`${name} out`);
  };
}

describe('compose', () => {
  it('runs middlewares as an onion, in order', async () => {
    const log: string[] = [];
    await compose([recorder(log, 'a'), recorder(log, 'b'), recorder(log, 'c')])(ctx, async () => {
      log.push('end');
    });
    assert.deepEqual(log, ['a in', 'b in', 'c in', 'end', 'c out', 'b out', 'a out']);
  });

  it('stops where a middleware does not call next', async () => {
    const log: string[] = [];
    const stop: Middleware = () => {
      log.push('stop');
    };
    await compose([recorder(log, 'a'), stop, recorder(log, 'never')])(ctx, async () => {
      log.push('end');
    });
    assert.deepEqual(log, ['a in', 'stop', 'a out']);
  });

  it('simply resolves at the end of the chain when there is no outer next', async () => {
    const log: string[] = [];
    const chain = compose([recorder(log, 'a')]);
    await chain(ctx, undefined as never);
    assert.deepEqual(log, ['a in', 'a out']);
    await run([]);
  });

  it('rejects when one middleware calls next twice', async () => {
    const twice: Middleware = async (_ctx, next) => {
      await next();
      await next();
    };
    await assert.rejects(run([twice, () => {}]), NextCalledTwiceError);
  });

  it('rejects a second call made before the first settled', async () => {
    const hasty: Middleware = (_ctx, next) => {
      void next().catch(() => {});
      return next();
    };
    const slow: Middleware = () => new Promise((resolve) => setTimeout(resolve, 5));
    await assert.rejects(run([hasty, slow]), NextCalledTwiceError);
  });

  it('turns synchronous throws and async rejections into a rejected promise', async () => {
    const syncThrow: Middleware = () => {
      throw new Error('sync boom');
    };
    const asyncThrow: Middleware = async () => {
      throw new Error('async boom');
    };
    await assert.rejects(run([syncThrow]), /sync boom/);
    await assert.rejects(run([recorder([], 'a'), asyncThrow]), /async boom/);
  });

  it("lets an earlier middleware catch a later one's error", async () => {
    let caught: unknown;
    const guard: Middleware = async (_ctx, next) => {
      try {
        await next();
      } catch (error) {
        caught = error;
      }
    };
    await run([guard, () => Promise.reject(new Error('late'))]);
    assert.match(String(caught), /late/);
  });

  it('copies the list: later changes to the array do not change the chain', async () => {
    const log: string[] = [];
    const list: Middleware[] = [recorder(log, 'a')];
    const chain = compose(list);
    list.push(recorder(log, 'b'));
    await chain(ctx, undefined as never);
    assert.deepEqual(log, ['a in', 'a out']);
  });
});
