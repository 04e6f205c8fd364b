import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatRecord } from '../../wire/index.js';
import { loadZone, parseZone, ZoneFileError } from '../index.js';

const SOA = '@ 3600 IN SOA ns.example. hostmaster.example. 1 7200 3600 1209600 300\n';
const parse = (text: string, origin = 'example.') =>
  parseZone(text, { origin, file: 'db.example' }).map(formatRecord);

function fails(
  text: string,
  line: number,
  message: RegExp,
  options: { file?: string; readFile?: (path: string) => string } = {},
) {
  try {
    loadZone(text, {
      origin: 'example.',
      file: options.file ?? 'db.example',
      ...(options.readFile ? { readFile: options.readFile } : {}),
    });
  } catch (error) {
    assert.ok(error instanceof ZoneFileError, String(error));
    assert.equal(error.line, line, error.message);
    assert.match(error.message, message);
    return error;
  }
  assert.fail('expected a ZoneFileError');
}

describe('master file syntax (RFC 1035 5.1)', () => {
  it('reads $ORIGIN, $TTL, @, relative names, inherited owner, TTL and class in either order', () => {
    const text = `$TTL 1h30m\n${SOA}www IN 60 A 192.0.2.1\n  60 IN AAAA 2001:DB8::1\n$ORIGIN sub.example.\n@ TXT "at sub"\nhost.other. CH TXT "chaos"\nx TXT "still chaos"\ny IN A 192.0.2.2\n`;
    assert.deepEqual(parse(text).slice(1), [
      'www.example.\t60\tIN\tA\t192.0.2.1',
      'www.example.\t60\tIN\tAAAA\t2001:db8::1',
      'sub.example.\t5400\tIN\tTXT\t"at sub"',
      'host.other.\t5400\tCH\tTXT\t"chaos"',
      'x.sub.example.\t5400\tCH\tTXT\t"still chaos"',
      'y.sub.example.\t5400\tIN\tA\t192.0.2.2',
    ]);
  });

  it('inherits the previous TTL without $TTL and uses the SOA MINIMUM when nothing else is known', () => {
    assert.deepEqual(
      parse('@ SOA ns. h. 1 2 3 4 99\na A 192.0.2.1\nb 30 A 192.0.2.2\nc A 192.0.2.3\n').map(
        (l) => l.split('\t')[1],
      ),
      ['99', '99', '30', '30'],
    );
  });

  it('joins parentheses across lines and drops comments', () => {
    const text = '@ 60 IN SOA ns. h. ( ; primary\n 2024 ; serial\n 1h 15m 1w 5m )\n';
    assert.deepEqual(parse(text), ['example.\t60\tIN\tSOA\tns. h. 2024 3600 900 604800 300']);
  });

  it('reads quoted strings with escapes, \\DDD and \\. in names', () => {
    const text = `$TTL 60\n${SOA}a\\.b TXT "say \\"hi\\"" back\\\\slash "\\200\\201" "semi;colon"\nc\\065 A 192.0.2.1\n`;
    const [, txt, name] = parse(text);
    assert.equal(
      txt,
      'a\\.b.example.\t60\tIN\tTXT\t"say \\"hi\\"" "back\\\\slash" "\\200\\201" "semi;colon"',
    );
    assert.equal(name, 'c\\065.example.\t60\tIN\tA\t192.0.2.1');
  });

  it('reads RFC 3597 TYPEnnn, CLASSnnn and \\# for known and unknown types', () => {
    const text = `$TTL 60\n${SOA}a TYPE1 \\# 4 C0000201\nb CLASS1 TYPE65534 \\# 3 ABCDEF\nc MX \\# 8 000A 04686f7374 00\nd TYPE99 \\# 1 00\n`;
    assert.deepEqual(parse(text).slice(1), [
      'a.example.\t60\tIN\tA\t192.0.2.1',
      'b.example.\t60\tIN\tTYPE65534\t\\# 3 ABCDEF',
      'c.example.\t60\tIN\tMX\t10 host.',
      'd.example.\t60\tIN\tSPF\t""',
    ]);
  });

  it('reads every common type', () => {
    const text = `$TTL 60
${SOA}ns NS ns1
cn CNAME target
dn DNAME target.example.net.
mx MX 10 mail
srv SRV 1 2 53 target
ptr PTR host.example.net.
caa CAA 0 issue "ca.example.net"
naptr NAPTR 100 10 "S" "SIP+D2U" "" _sip._udp
hinfo HINFO "PC" "Linux"
spf SPF "v=spf1 -all"
ds DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118
dk DNSKEY 256 3 8 AwEAAQ==
sig RRSIG A 8 2 60 20300101000000 20200101000000 1234 example. AAAA
nsec NSEC next.example. A MX RRSIG NSEC TYPE1234
ssh SSHFP 1 1 123456789abcdef67890123456789abcdef67890
tlsa TLSA 3 1 1 ABCDEF
https HTTPS 1 . alpn=h2,h3 port=443 ipv4hint=192.0.2.1
svc SVCB 0 target.example.
`;
    const out = parse(text).slice(1);
    assert.equal(out.length, 18);
    assert.deepEqual(out.slice(0, 10), [
      'ns.example.\t60\tIN\tNS\tns1.example.',
      'cn.example.\t60\tIN\tCNAME\ttarget.example.',
      'dn.example.\t60\tIN\tDNAME\ttarget.example.net.',
      'mx.example.\t60\tIN\tMX\t10 mail.example.',
      'srv.example.\t60\tIN\tSRV\t1 2 53 target.example.',
      'ptr.example.\t60\tIN\tPTR\thost.example.net.',
      'caa.example.\t60\tIN\tCAA\t0 issue "ca.example.net"',
      'naptr.example.\t60\tIN\tNAPTR\t100 10 "S" "SIP+D2U" "" _sip._udp.example.',
      'hinfo.example.\t60\tIN\tHINFO\t"PC" "Linux"',
      'spf.example.\t60\tIN\tSPF\t"v=spf1 -all"',
    ]);
    assert.equal(out[10], 'ds.example.\t60\tIN\tDS\t\\# 24 EC4505012BB183AF5F22588179A53B0A98631FAD1A292118');
    assert.equal(out[11], 'dk.example.\t60\tIN\tDNSKEY\t\\# 8 0100030803010001');
    assert.match(
      out[13]!,
      /^nsec\.example\.\t60\tIN\tNSEC\t\\# 51 046E657874076578616D706C65000006400100000003041B0{52}20$/,
    );
    assert.equal(
      out[16],
      'https.example.\t60\tIN\tHTTPS\t\\# 27 000100000100060268320268330003000201BB00040004C0000201',
    );
    assert.equal(out[17], 'svc.example.\t60\tIN\tSVCB\t\\# 18 000006746172676574076578616D706C6500');
  });

  it('expands $GENERATE with $, the offset/width/base modifier and \\$', () => {
    const text = `$TTL 60\n${SOA}$GENERATE 1-3/2 host-$ A 192.0.2.$\n$GENERATE 10-10 \${-9,3,x}-x\\$ CNAME \${0,2,X}\n$GENERATE 0-0 r\${15,0,n} PTR h$\n`;
    assert.deepEqual(parse(text).slice(1), [
      'host-1.example.\t60\tIN\tA\t192.0.2.1',
      'host-3.example.\t60\tIN\tA\t192.0.2.3',
      '001-x$.example.\t60\tIN\tCNAME\t0A.example.',
      'rf.example.\t60\tIN\tPTR\th0.example.',
    ]);
  });

  it('reads $INCLUDE relative to the including file, with its own origin, restoring the origin after', () => {
    const files: Record<string, string> = {
      '/zones/inc/hosts': 'www A 192.0.2.1\n$ORIGIN deep.example.\nx A 192.0.2.2\n',
      '/zones/inc/sub': 'a A 192.0.2.3\n',
    };
    const readFile = (path: string) => {
      const text = files[path];
      if (text === undefined) throw new Error(`ENOENT: ${path}`);
      return text;
    };
    const text = `$TTL 60\n${SOA}$INCLUDE inc/hosts\n$INCLUDE inc/sub sub\nafter A 192.0.2.4\n`;
    const records = parseZone(text, { origin: 'example.', file: '/zones/db.example', readFile }).map(
      (r) => r.name,
    );
    assert.deepEqual(records, [
      'example.',
      'www.example.',
      'x.deep.example.',
      'a.sub.example.',
      'after.example.',
    ]);
    const error = fails(
      `$TTL 60\n${SOA}$INCLUDE inc/bad\n`,
      1,
      /inc\/bad:1: expected a TTL or class, got 'INN'/,
      {
        file: '/zones/db.example',
        readFile: () => 'www 60 INN A 192.0.2.1\n',
      },
    );
    assert.equal(error.file, '/zones/inc/bad');
  });
});

describe('master file errors: file, line and what was expected', () => {
  const cases: [string, string, number, RegExp][] = [
    [
      'bad class',
      `${SOA}\n\n\nwww 3600 INN A 192.0.2.1\n`,
      5,
      /^db\.example:5: expected a TTL or class, got 'INN'$/,
    ],
    ['unknown type', `${SOA}www 60 IN BOGUS 1\n`, 2, /expected a record type, got 'BOGUS'/],
    ['missing type', `${SOA}www 60 IN\n`, 2, /expected a record type, got the end of the line/],
    ['bad address', `${SOA}www 60 A 192.0.2.300\n`, 2, /A: '192\.0\.2\.300' is not an IPv4 address/],
    ['missing rdata', `${SOA}mx 60 MX 10\n`, 2, /MX: expected an exchange name, got the end of the line/],
    ['extra rdata', `${SOA}www 60 A 192.0.2.1 192.0.2.2\n`, 2, /unexpected '192\.0\.2\.2' after the RDATA/],
    [
      'bad integer',
      `${SOA}mx 60 MX 70000 mail\n`,
      2,
      /MX: expected a preference \(0\.\.65535\), got '70000'/,
    ],
    ['no owner', ' 60 A 192.0.2.1\n', 1, /no owner name/],
    ['no TTL', 'www A 192.0.2.1\n', 1, /no TTL/],
    ['bad $TTL', '$TTL forever\n', 1, /\$TTL: expected a TTL, got 'forever'/],
    ['unknown directive', '$FOO bar\n', 1, /unknown directive '\$FOO'/],
    ['open parenthesis', `${SOA}www 60 TXT ( "a"\n"b"\n`, 2, /unbalanced '\('/],
    ['close parenthesis', `${SOA}www 60 TXT "a" )\n`, 2, /unbalanced '\)'/],
    ['unterminated string', `${SOA}www 60 TXT "a\n`, 2, /unterminated quoted string/],
    ['long string', `${SOA}www 60 TXT "${'x'.repeat(256)}"\n`, 2, /longer than 255 octets/],
    ['bad name', `${SOA}${'x'.repeat(64)} 60 A 192.0.2.1\n`, 2, /bad name 'x+': label longer than 63 bytes/],
    ['bad generic length', `${SOA}www 60 TYPE65534 \\# 3 ABCD\n`, 2, /\\# length 3 does not match 2 octets/],
    ['bad base64', `${SOA}k 60 DNSKEY 256 3 8 ###\n`, 2, /DNSKEY: bad base64 public key/],
    ['bad range', `${SOA}$GENERATE 5-1 h$ A 192.0.2.$\n`, 2, /\$GENERATE: bad range '5-1'/],
    ['include not found', `${SOA}$INCLUDE nothere\n`, 2, /\$INCLUDE: cannot read 'nothere'/],
    ['no SOA', '$TTL 60\nwww A 192.0.2.1\n', 0, /^db\.example: zone example\. has no SOA/],
    [
      'CNAME and other data',
      `${SOA}\nc 60 CNAME x.\nc 60 A 192.0.2.1\n`,
      3,
      /^db\.example:3: c\.example\. has a CNAME and other data/,
    ],
    ['TTL over 2^31-1', `${SOA}www 4294967295 A 192.0.2.1\n`, 2, /TTL '4294967295' is over 2147483647/],
    ['escape over 255', `${SOA}www 60 TXT "\\300"\n`, 2, /bad escape/],
  ];
  for (const [what, text, line, message] of cases) {
    it(what, () => {
      fails(text, line, message, {
        readFile: () => {
          throw new Error('ENOENT');
        },
      });
    });
  }
});
