import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { parseUpstreamAddress, resolvConfNameservers } from './address.js';
import { forward, forwardDefinition } from './index.js';

const parse = (text: string) => forwardDefinition.parse(directiveFrom(text));
const detail = (text: string) => parseError(() => parse(text)).detail;

describe('forward setup', () => {
  it('parses FROM, TO and every block option', () => {
    const options = parse(
      [
        'forward example.org 10.0.0.1 10.0.0.2:5353 [2001:db8::1]:53 dns://10.0.0.3 tls://10.0.0.4 {',
        '  except a.example.org b.example.org',
        '  force_tcp',
        '  prefer_udp',
        '  expire 30s',
        '  max_fails 3',
        '  max_concurrent 100',
        '  tls_servername dns.example',
        '  policy round_robin',
        '  health_check 5s no_rec domain example.net',
        '  next NXDOMAIN servfail',
        '  failfast_all_unhealthy_upstreams',
        '}',
      ].join('\n'),
    );
    assert.deepEqual(options, {
      from: 'example.org.',
      to: ['10.0.0.1', '10.0.0.2:5353', '[2001:db8::1]:53', 'dns://10.0.0.3', 'tls://10.0.0.4'],
      except: ['a.example.org.', 'b.example.org.'],
      forceTcp: true,
      preferUdp: true,
      expireMs: 30_000,
      maxFails: 3,
      maxConcurrent: 100,
      tlsServerName: 'dns.example',
      policy: 'round_robin',
      healthCheck: { intervalMs: 5000, recursionDesired: false, domain: 'example.net' },
      next: ['NXDOMAIN', 'SERVFAIL'],
      failfastAllUnhealthyUpstreams: true,
    });
    assert.equal(forwardDefinition.create(options).name, 'forward');
  });

  it('uses the first reverse zone of a CIDR FROM', () => {
    assert.equal(parse('forward 10.0.0.0/8 10.0.0.1').from, '10.in-addr.arpa.');
  });

  it("reads a resolv.conf's nameservers", () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnskit-resolv-'));
    const file = join(dir, 'resolv.conf');
    writeFileSync(
      file,
      '# comment\nsearch example.org\nnameserver 10.0.0.53\nnameserver fe80::1%eth0 ; zone\noptions ndots:5\n',
    );
    try {
      assert.deepEqual(parse(`forward . ${file}`).to, ['10.0.0.53', 'fe80::1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad input at its line with CoreDNS wording', () => {
    assert.match(detail('forward'), /Wrong argument count/);
    assert.match(detail('forward .'), /Wrong argument count/);
    assert.equal(
      detail('forward . https://10.0.0.1'),
      "'https' is not supported as a destination protocol in forward: https://10.0.0.1",
    );
    assert.equal(detail('forward . not-a-file'), 'not an IP address or file: "not-a-file"');
    assert.equal(detail('forward . 10.0.0.1 {\n  bogus\n}'), "unknown property 'bogus'");
    assert.equal(detail('forward . 10.0.0.1 {\n  policy fastest\n}'), "unknown policy 'fastest'");
    assert.equal(detail('forward . 10.0.0.1 {\n  max_fails -1\n}'), "max_fails can't be negative: -1");
    assert.equal(detail('forward . 10.0.0.1 {\n  expire soon\n}'), 'time: invalid duration "soon"');
    assert.equal(
      detail('forward . 10.0.0.1 {\n  health_check 1s fast\n}'),
      'health_check: unknown option fast',
    );
    assert.equal(detail('forward . 10.0.0.1 {\n  next NOPE\n}'), 'NOPE is not a valid rcode');
    assert.match(detail('forward . 10.0.0.1 {\n  force_tcp yes\n}'), /Wrong argument count .* after 'yes'/);
    assert.match(
      detail(`forward . ${Array.from({ length: 16 }, (_, i) => `10.0.0.${i}`).join(' ')}`),
      /more than 15/,
    );
    assert.equal(parseError(() => parse('forward . 10.0.0.1 {\n\n  bogus\n}')).line, 4);
  });

  it('the factory validates addresses too', () => {
    assert.throws(() => forward({ to: ['example.com'] }), /not an IP address/);
    assert.throws(() => forward({ to: [] }), /no upstream/);
  });
});

describe('forward addresses', () => {
  it('parses plain, bracketed, dns:// and tls:// forms with their default ports', () => {
    assert.deepEqual(parseUpstreamAddress('1.2.3.4'), { protocol: 'dns', host: '1.2.3.4', port: 53 });
    assert.deepEqual(parseUpstreamAddress('1.2.3.4:5300'), { protocol: 'dns', host: '1.2.3.4', port: 5300 });
    assert.deepEqual(parseUpstreamAddress('::1'), { protocol: 'dns', host: '::1', port: 53 });
    assert.deepEqual(parseUpstreamAddress('[::1]:54'), { protocol: 'dns', host: '::1', port: 54 });
    assert.deepEqual(parseUpstreamAddress('tls://9.9.9.9'), { protocol: 'tls', host: '9.9.9.9', port: 853 });
    assert.deepEqual(parseUpstreamAddress('DNS://[::1]'), { protocol: 'dns', host: '::1', port: 53 });
    for (const bad of ['1.2.3.4:0', '1.2.3.4:70000', 'host:53', '[1.2.3.4]:53', 'grpc://1.2.3.4', '']) {
      assert.equal(parseUpstreamAddress(bad), undefined, bad);
    }
  });

  it('keeps only valid nameserver lines of a resolv.conf, all of them (no libc limit of 3)', () => {
    assert.deepEqual(
      resolvConfNameservers(
        'nameserver 1.1.1.1\nnameserver bogus\n#nameserver 2.2.2.2\n  nameserver ::1  \nnameserver fe80::1%eth0\nnameserver 9.9.9.9\n',
      ),
      ['1.1.1.1', '::1', 'fe80::1', '9.9.9.9'],
    );
  });
});
