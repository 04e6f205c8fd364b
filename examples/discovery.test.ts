// Unit-testing DNS logic in process: no sockets, the same chain a real server runs.
// Run: npm test -- examples/discovery
import { describe, it } from 'node:test';
import { assertAnswers, assertRcode, query, testServer } from 'dnskit/testing';
import { staticHosts } from './embedded-server.js';

describe('static-hosts plugin', () => {
  const server = testServer([staticHosts('app.test.', { 'web.app.test.': '192.0.2.10' })]);

  it('answers a known name, keeping the client spelling', async () => {
    const response = await server.exchange(query('Web.App.Test.', 'A'));
    assertRcode(response, 'NOERROR');
    assertAnswers(response, ['Web.App.Test. 30 IN A 192.0.2.10']);
  });

  it('says NXDOMAIN for an unknown name and NODATA for another type', async () => {
    assertRcode(await server.exchange(query('nope.app.test.', 'A')), 'NXDOMAIN');
    const aaaa = await server.exchange(query('web.app.test.', 'AAAA'));
    assertRcode(aaaa, 'NOERROR');
    assertAnswers(aaaa, []);
  });
});
