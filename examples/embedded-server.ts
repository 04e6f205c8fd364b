// Embedding dnskit: a server with a plugin of your own, queried with Node's own resolver.
// Run: npx tsx examples/embedded-server.ts
import { Resolver } from 'node:dns/promises';
import { createServer, errors, type Plugin } from 'dnskit';

/** Answers A queries for names in a map; NXDOMAIN for other names in its zone. */
export function staticHosts(zone: string, hosts: Readonly<Record<string, string>>): Plugin {
  return {
    name: 'static-hosts',
    handle(ctx, next) {
      if (!ctx.question.name.endsWith(zone)) return next();
      const address = hosts[ctx.question.name];
      if (address === undefined) return ctx.reply({ rcode: 'NXDOMAIN', authoritative: true });
      if (ctx.question.type !== 'A') return ctx.reply({ authoritative: true });
      ctx.reply({
        authoritative: true,
        answers: [{ name: ctx.rawName, type: 'A', class: 'IN', ttl: 30, data: address }],
      });
    },
  };
}

export async function main(): Promise<void> {
  const server = createServer({
    zones: ['app.test.'],
    port: 0, // any free port; a real deployment says 53
    listen: ['127.0.0.1'],
    plugins: [
      errors(),
      staticHosts('app.test.', { 'web.app.test.': '192.0.2.10', 'db.app.test.': '192.0.2.20' }),
    ],
  });
  await server.listen();
  const port = server.addresses()[0]?.port;
  const resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  try {
    console.log('web.app.test ->', (await resolver.resolve4('web.app.test')).join(','));
    await resolver.resolve4('nope.app.test').catch((error: NodeJS.ErrnoException) => {
      console.log('nope.app.test ->', error.code);
    });
    await resolver.resolve4('example.com').catch((error: NodeJS.ErrnoException) => {
      console.log('example.com ->', error.code); // outside our zone: REFUSED
    });
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
