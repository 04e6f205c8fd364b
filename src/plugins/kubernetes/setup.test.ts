import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { directiveFrom, parseError } from '../../plugin-kit/test-helpers.js';
import { kubernetesDefinition } from './index.js';

const parse = (text: string, zones: readonly string[] = ['cluster.local.']) =>
  kubernetesDefinition.parse(directiveFrom(text, zones));

describe('kubernetes setup', () => {
  it('defaults to the server block zones', () => {
    assert.deepEqual(parse('kubernetes'), { zones: ['cluster.local.'] });
  });

  it('takes zones and CIDRs as arguments', () => {
    assert.deepEqual(parse('kubernetes cluster.local 10.0.0.0/8').zones, [
      'cluster.local.',
      '10.in-addr.arpa.',
    ]);
  });

  it('reads every option', () => {
    const options = parse(`kubernetes cluster.local in-addr.arpa {
      endpoint https://k8s:6443 https://unused:6443
      tls cert.pem key.pem ca.pem
      kubeconfig /etc/kube.conf ctx
      namespaces a b
      labels app in (web, api),tier!=db
      pods verified
      endpoint_pod_names
      ttl 30
      noendpoints
      fallthrough in-addr.arpa
      ignore empty_service
    }`);
    assert.deepEqual(options, {
      zones: ['cluster.local.', 'in-addr.arpa.'],
      api: {
        endpoint: 'https://k8s:6443',
        tls: { cert: 'cert.pem', key: 'key.pem', ca: 'ca.pem' },
        kubeconfig: { path: '/etc/kube.conf', context: 'ctx' },
      },
      namespaces: ['a', 'b'],
      labels: 'app in (web, api),tier!=db',
      pods: 'verified',
      endpointPodNames: true,
      ttl: 30,
      noEndpoints: true,
      fallthrough: { zones: ['in-addr.arpa.'] },
      ignoreEmptyService: true,
    });
  });

  it('reads namespace_labels, a bare fallthrough, kubeconfig without context, and manifests', () => {
    assert.deepEqual(parse('kubernetes {\n namespace_labels env=prod\n fallthrough\n}'), {
      zones: ['cluster.local.'],
      namespaceLabels: 'env=prod',
      fallthrough: { zones: ['.'] },
    });
    assert.deepEqual(parse('kubernetes {\n kubeconfig kube.conf\n}').api, {
      kubeconfig: { path: 'kube.conf' },
    });
    assert.equal(parse('kubernetes {\n manifests k8s/\n}').manifests, 'k8s/');
  });

  const errors: readonly [string, RegExp][] = [
    ['kubernetes in-addr.arpa', /non-reverse zone name must be used/],
    ['kubernetes {\n bogus\n}', /unknown property 'bogus'/],
    ['kubernetes {\n pods sometimes\n}', /wrong value for pods: sometimes/],
    ['kubernetes {\n pods\n}', /Wrong argument count/],
    ['kubernetes {\n ttl abc\n}', /strconv.Atoi: parsing "abc": invalid syntax/],
    ['kubernetes {\n ttl 3601\n}', /ttl must be in range \[0, 3600\]: 3601/],
    ['kubernetes {\n ttl -1\n}', /ttl must be in range \[0, 3600\]: -1/],
    ['kubernetes {\n ttl\n}', /Wrong argument count/],
    ['kubernetes {\n tls a b\n}', /Wrong argument count/],
    ['kubernetes {\n endpoint\n}', /Wrong argument count/],
    ['kubernetes {\n kubeconfig a b c\n}', /Wrong argument count/],
    ['kubernetes {\n namespaces\n}', /Wrong argument count/],
    ['kubernetes {\n labels\n}', /Wrong argument count/],
    ['kubernetes {\n labels app in (web\n}', /unable to parse label selector value/],
    ['kubernetes {\n namespace_labels =x\n}', /unable to parse namespace_label selector value/],
    ['kubernetes {\n endpoint_pod_names yes\n}', /Wrong argument count/],
    ['kubernetes {\n noendpoints yes\n}', /Wrong argument count/],
    ['kubernetes {\n ignore everything\n}', /unable to parse ignore value: 'everything'/],
    ['kubernetes {\n manifests\n}', /Wrong argument count/],
    [
      'kubernetes {\n namespaces a\n namespace_labels env=x\n}',
      /namespaces and namespace_labels cannot both be set/,
    ],
    ['kubernetes {\n manifests x.yaml\n endpoint https://k8s\n}', /manifests cannot be combined/],
  ];
  for (const [text, pattern] of errors) {
    it(`rejects ${text.replace(/\s+/g, ' ')}`, () => {
      const error = parseError(() => parse(text));
      assert.match(error.message, pattern);
      assert.match(error.message, /^Corefile:\d+ - Error during parsing: /);
    });
  }

  it('locates errors at the offending line', () => {
    const error = parseError(() => parse('kubernetes {\n  ttl 30\n  pods maybe\n}'));
    assert.equal(error.line, 4);
  });
});
