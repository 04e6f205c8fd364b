import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PluginDefinition } from '../corefile/types.js';
import { corednsDirectives, isCorednsDirective } from './order.js';
import { createRegistry } from './registry.js';

const definition = (name: string): PluginDefinition<null> => ({
  name,
  parse: () => null,
  create: () => ({ name, handle: (_ctx, next) => next() }),
});

const before = (order: readonly string[], a: string, b: string) => order.indexOf(a) < order.indexOf(b);

describe("CoreDNS's directive order", () => {
  it('lists each directive once, in plugin.cfg order', () => {
    assert.equal(new Set(corednsDirectives).size, corednsDirectives.length);
    assert.equal(corednsDirectives[0], 'root');
    assert.equal(corednsDirectives.at(-1), 'nomad');
    const chain = [
      'metadata',
      'bind',
      'ready',
      'health',
      'prometheus',
      'errors',
      'log',
      'cache',
      'rewrite',
      'hosts',
      'kubernetes',
      'file',
      'loop',
      'forward',
      'whoami',
      'view',
    ];
    chain.slice(1).forEach((name, i) => {
      assert.ok(before(corednsDirectives, chain[i] as string, name), `${chain[i]} before ${name}`);
    });
    assert.ok(Object.isFrozen(corednsDirectives));
  });

  it('knows which names are CoreDNS directives', () => {
    assert.ok(isCorednsDirective('kubernetes'));
    assert.ok(!isCorednsDirective('proxy')); // removed from CoreDNS in 1.7
    assert.ok(!isCorednsDirective('impor'));
  });
});

describe('createRegistry', () => {
  it("starts with CoreDNS's order and the given definitions", () => {
    const registry = createRegistry([definition('log'), definition('whoami')]);
    assert.deepEqual(registry.order(), corednsDirectives);
    assert.ok(registry.has('log'));
    assert.ok(!registry.has('cache'));
    assert.equal(registry.get('whoami')?.name, 'whoami');
    assert.equal(registry.get('cache'), undefined);
  });

  it('returns a copy of the order', () => {
    const registry = createRegistry();
    (registry.order() as string[]).reverse();
    assert.equal(registry.order()[0], 'root');
  });

  it('appends third-party directives without a position at the end, in registration order', () => {
    const registry = createRegistry();
    registry.register(definition('first'));
    registry.register(definition('second'));
    assert.deepEqual(registry.order().slice(-3), ['nomad', 'first', 'second']);
  });

  it('places a directive before or after another', () => {
    const registry = createRegistry();
    registry.register(definition('geo'), { before: 'cache' });
    registry.register(definition('audit'), { after: 'log' });
    const order = registry.order();
    assert.equal(order[order.indexOf('cache') - 1], 'geo');
    assert.equal(order[order.indexOf('log') + 1], 'audit');
    assert.equal(order.length, corednsDirectives.length + 2);
  });

  it('can move a CoreDNS directive when a position is given', () => {
    const registry = createRegistry();
    registry.register(definition('hosts'), { after: 'forward' });
    const order = registry.order();
    assert.ok(before(order, 'forward', 'hosts'));
    assert.equal(order.filter((n) => n === 'hosts').length, 1);
  });

  it('refuses a taken name, a bad position and invalid names, leaving the registry unchanged', () => {
    const registry = createRegistry([definition('log')]);
    assert.throws(() => registry.register(definition('log')), /directive 'log' is already registered/);
    assert.throws(
      () => registry.register(definition('x'), { before: 'nope' }),
      /'nope' is not in the directive order/,
    );
    assert.throws(
      () => registry.register(definition('cache'), { before: 'nope' }),
      /'nope' is not in the directive order/,
    );
    assert.throws(
      () => registry.register(definition('y'), { before: 'log', after: 'log' }),
      /either before or after/,
    );
    assert.throws(() => registry.register(definition('z'), { before: 'z' }), /relative to itself/);
    for (const name of ['', 'two words', 'import', '(snippet)', '{', 'a#b']) {
      assert.throws(
        () => registry.register(definition(name)),
        /invalid directive name/,
        JSON.stringify(name),
      );
    }
    assert.deepEqual(registry.order(), corednsDirectives);
    assert.ok(!registry.has('x') && !registry.has('cache'));
  });
});
