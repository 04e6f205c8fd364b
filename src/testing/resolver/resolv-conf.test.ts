import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_RESOLV_OPTIONS, formatResolvConf, parseResolvConf, podResolvConf } from './index.js';

describe('parseResolvConf', () => {
  it('reads nameservers (3 at most), the last search or domain line, options and comments', () => {
    const conf = parseResolvConf(
      [
        '# generated',
        'nameserver 10.0.0.1',
        'nameserver 10.0.0.2 ; second',
        'domain old.example',
        'search a.example b.example.',
        'nameserver 10.0.0.3',
        'nameserver 10.0.0.4',
        'options ndots:5 timeout:1 attempts:3 rotate edns0 single-request no-tld-query bogus ndots:x',
      ].join('\n'),
    );
    assert.deepEqual(conf.nameservers, ['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    assert.deepEqual(conf.search, ['a.example', 'b.example']);
    assert.equal(conf.options.ndots, 5);
    assert.equal(conf.options.timeout, 1);
    assert.equal(conf.options.attempts, 3);
    assert.equal(conf.options.rotate, true);
    assert.equal(conf.options.edns0, true);
    assert.equal(conf.options.singleRequest, true);
    assert.equal(conf.options.noTldQuery, true);
    assert.equal(conf.options.useVc, false);
    assert.deepEqual(parseResolvConf('search x.example\ndomain y.example').search, ['y.example']);
  });

  it('defaults to ndots:1 timeout:5 attempts:2', () => {
    assert.deepEqual(parseResolvConf('nameserver ::1').options, DEFAULT_RESOLV_OPTIONS);
  });

  it('round-trips through formatResolvConf', () => {
    const conf = podResolvConf('shop', { options: { rotate: true } });
    assert.deepEqual(parseResolvConf(formatResolvConf(conf)), conf);
  });
});

describe('podResolvConf', () => {
  it('is the kubelet resolv.conf for a ClusterFirst pod', () => {
    assert.equal(
      formatResolvConf(podResolvConf('shop')),
      'nameserver 10.96.0.10\nsearch shop.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n',
    );
    const custom = podResolvConf('a', {
      clusterDomain: 'k8s.test.',
      nameserver: '10.0.0.10',
      hostSearch: ['corp'],
    });
    assert.deepEqual(custom.search, ['a.svc.k8s.test', 'svc.k8s.test', 'k8s.test', 'corp']);
    assert.deepEqual(custom.nameservers, ['10.0.0.10']);
  });
});
