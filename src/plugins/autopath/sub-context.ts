import { compose } from '../../core/compose.js';
import { buildReply } from '../../core/response.js';
import type { DnsContext, Middleware, Plugin, ReplyInit } from '../../core/types.js';
import { normalizeName } from '../../wire/index.js';
import type { DnsMessage, Rcode } from '../../wire/types.js';

/**
 * The plugins after `self` in its block's chain, as one middleware: what CoreDNS's `Next` is for
 * a plugin that needs to ask the rest of the chain more than one question.
 */
export function restOfChain(chain: readonly Plugin[], self: Plugin): Middleware {
  const index = chain.indexOf(self);
  return compose(chain.slice(index + 1).map((plugin) => plugin.handle.bind(plugin)));
}

/**
 * Asks the rest of the chain about another name, on behalf of `ctx`: a context that shares the
 * client, EDNS, deadline and vars of the original but has its own question and response (CoreDNS's
 * `nonwriter`). Resolves with what the chain wrote, or undefined when nothing was written.
 */
export async function askChain(
  ctx: DnsContext,
  rest: Middleware,
  rawName: string,
): Promise<DnsMessage | undefined> {
  const original = ctx.request.questions[0];
  const question = { name: normalizeName(rawName), type: ctx.question.type, class: ctx.question.class };
  const request: DnsMessage = {
    ...ctx.request,
    questions: [{ ...(original ?? question), name: rawName }],
  };
  let response: DnsMessage | undefined;
  let failure: unknown;
  // Everything not overridden (peer, local, edns, signal, vars...) comes from the real query.
  const sub = Object.create(ctx, {
    request: { value: request },
    question: { value: question },
    rawName: { value: rawName },
    canStream: { value: false },
    response: { get: () => response, set: (value: DnsMessage | undefined) => (response = value) },
    failure: { get: () => failure },
    reply: { value: (init?: ReplyInit) => (response = buildReply(request, init)) },
    fail: {
      value: (rcode: Rcode, reason?: string) => {
        response = buildReply(request, { rcode });
        failure = reason;
      },
    },
    onSent: { value: () => undefined },
    replyStream: {
      value: () => {
        throw new Error('autopath: a streamed answer cannot be autopathed');
      },
    },
  }) as DnsContext;
  try {
    await rest(sub, () => Promise.resolve());
  } catch {
    return undefined;
  }
  return response;
}
