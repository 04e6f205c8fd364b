// A Corefile directive of your own: define it, register it, and run a Corefile that uses it.
// Run: npx tsx examples/custom-directive.ts
import {
  builtinPlugins,
  createRegistry,
  createServer,
  loadCorefile,
  makeQuery,
  type PluginDefinition,
} from 'dnskit';

/** `greeting TEXT`: answers every TXT query with TEXT. */
const greeting: PluginDefinition<{ text: string }> = {
  name: 'greeting',
  once: true,
  parse(directive) {
    const [text, ...extra] = directive.args;
    if (text === undefined || extra.length > 0) throw directive.argError();
    return { text: text.text };
  },
  create({ text }) {
    return {
      name: 'greeting',
      handle(ctx, next) {
        if (ctx.question.type !== 'TXT') return next();
        ctx.reply({ answers: [{ name: ctx.rawName, type: 'TXT', class: 'IN', ttl: 0, data: [text] }] });
      },
    };
  },
};

export async function main(): Promise<void> {
  const registry = createRegistry(builtinPlugins);
  // Third-party directives take a place in the canonical order; here, just before whoami.
  registry.register(greeting, { before: 'whoami' });
  const corefile = `. {\n  whoami\n  greeting "hello from a Corefile"\n}\n`;
  const { blocks } = loadCorefile(corefile, { file: 'Corefile', registry });
  const server = createServer({ blocks });
  const txt = await server.exchange(makeQuery('anything.example.', 'TXT'));
  console.log('TXT ->', txt.answers.map((rr) => JSON.stringify(rr.data)).join(' '));
  const a = await server.exchange(makeQuery('anything.example.', 'A'));
  console.log('A -> additional records:', a.additionals.length);
  await server.close();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
