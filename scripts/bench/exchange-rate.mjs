// The in-process path: server.exchange() through the whole chain, no sockets.
export async function exchangeRate(count) {
  const dnskit = await import('../../dist/index.js');
  const server = dnskit.createServer({ plugins: [dnskit.errors(), dnskit.any(), dnskit.whoami()] });
  const query = dnskit.makeQuery('bench.example.', 'A');
  for (let i = 0; i < 5000; i++) await server.exchange(query);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) await server.exchange(query);
  const ms = performance.now() - t0;
  await server.close();
  return { perSecond: (count / ms) * 1000, usPerQuery: (ms * 1000) / count };
}
