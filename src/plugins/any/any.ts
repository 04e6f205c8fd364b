import type { DnsContext, Next, Plugin } from '../../core/types.js';

/** The TTL CoreDNS gives its HINFO answer (a nod to the RFC number). */
const HINFO_TTL = 8482;

/**
 * RFC 8482 section 4.2: answer ANY with one synthesised HINFO. The strings are CoreDNS's
 * (`"ANY obsoleted" "See RFC 8482"`), so tools that recognise its answer keep working. As CoreDNS does, the record sits in ANSWER, owned by the name as the client spelled
 * it, class IN, TTL 8482, and the response is not marked authoritative.
 */
function answerAny(ctx: DnsContext, next: Next): Promise<void> | void {
  if (ctx.question.type !== 'ANY') return next();
  ctx.reply({
    answers: [
      {
        name: ctx.rawName,
        type: 'HINFO',
        class: 'IN',
        ttl: HINFO_TTL,
        data: { cpu: 'ANY obsoleted', os: 'See RFC 8482' },
      },
    ],
  });
}

/**
 * The `any` plugin: gives a minimal response to queries of type ANY (RFC 8482) and passes every
 * other query on.
 *
 * @example
 * ```ts
 * const server = createServer({ plugins: [any(), whoami()] });
 * ```
 */
export function any(): Plugin {
  return { name: 'any', handle: answerAny };
}
