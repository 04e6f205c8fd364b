import type { DnsContext, Plugin } from '../../core/types.js';
import type { ResourceRecord } from '../../wire/types.js';

/**
 * What a scripted name answers: addresses per type (a type left out is NODATA), or a failure
 * for every type: `nxdomain`, `nodata`, `servfail`, `refused`, or `timeout` (no answer until the
 * server's query deadline).
 */
export type ScriptedBehaviour = 'nxdomain' | 'nodata' | 'servfail' | 'refused' | 'timeout';

/** A name's script: one behaviour for every type, or A/AAAA addresses or behaviours (other types: NODATA). */
export type ScriptedName =
  | ScriptedBehaviour
  | {
      readonly A?: readonly string[] | ScriptedBehaviour;
      readonly AAAA?: readonly string[] | ScriptedBehaviour;
    };

/** Names (fully qualified, lowercase) to scripts; names not listed are NXDOMAIN. */
export type Script = Readonly<Record<string, ScriptedName>>;

function record(ctx: DnsContext, type: 'A' | 'AAAA', data: string): ResourceRecord {
  return type === 'A'
    ? { name: ctx.rawName, type: 'A', class: 'IN', ttl: 30, data }
    : { name: ctx.rawName, type: 'AAAA', class: 'IN', ttl: 30, data };
}

function addressType(type: string): 'A' | 'AAAA' | undefined {
  return type === 'A' || type === 'AAAA' ? type : undefined;
}

function act(ctx: DnsContext, behaviour: ScriptedBehaviour): Promise<void> | void {
  switch (behaviour) {
    case 'nxdomain':
      return ctx.reply({ rcode: 'NXDOMAIN', authoritative: true });
    case 'nodata':
      return ctx.reply({ authoritative: true });
    case 'servfail':
      return ctx.fail('SERVFAIL', 'scripted');
    case 'refused':
      return ctx.fail('REFUSED', 'scripted');
    case 'timeout':
      // Hold the query until the server gives up on it: the client sees nothing in time.
      return new Promise((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
  }
}

/**
 * A plugin that answers from a script, for testing clients and resolvers: per name, addresses
 * or NXDOMAIN, NODATA, SERVFAIL, REFUSED, or no answer. Answers are authoritative (AA set).
 *
 * @example
 * ```ts
 * const server = testServer({ plugins: [scripted({
 *   'nginx.default.svc.cluster.local.': { A: ['10.96.0.20'] },
 *   'flaky.default.svc.cluster.local.': 'servfail',
 * })], queryTimeoutMs: 100 });
 * ```
 */
export function scripted(script: Script): Plugin {
  return {
    name: 'scripted',
    handle(ctx) {
      const entry = script[ctx.question.name] ?? 'nxdomain';
      if (typeof entry === 'string') return act(ctx, entry);
      const type = addressType(ctx.question.type);
      const forType: readonly string[] | ScriptedBehaviour | undefined =
        type === undefined ? undefined : entry[type];
      if (type === undefined || forType === undefined) return act(ctx, 'nodata');
      if (typeof forType === 'string') return act(ctx, forType);
      ctx.reply({ authoritative: true, answers: forType.map((data: string) => record(ctx, type, data)) });
    },
  };
}
