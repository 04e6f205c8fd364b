import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { builtinPlugins, createRegistry, loadCorefile } from 'dnskit';
import { loadAll } from 'js-yaml';

const dir = new URL('../examples/kubernetes/', import.meta.url).pathname;

interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
  readonly [key: string]: unknown;
}

function manifests(): Manifest[] {
  const files = readdirSync(dir).filter((file) => file.endsWith('.yaml'));
  return files.flatMap((file) => loadAll(readFileSync(`${dir}${file}`, 'utf8')) as Manifest[]);
}

function find(kind: string): Manifest {
  const manifest = manifests().find((m) => m.kind === kind);
  assert.ok(manifest, `no ${kind}`);
  return manifest;
}

type Json = Record<string, unknown>;
function at(value: unknown, ...path: (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Json | undefined)?.[key as string], value);
}

describe('examples/kubernetes manifests', () => {
  it('parse, and hold exactly the expected kinds', () => {
    const all = manifests();
    for (const m of all)
      assert.ok(m.apiVersion && m.kind && m.metadata?.name, JSON.stringify(m).slice(0, 80));
    assert.deepEqual(all.map((m) => m.kind).sort(), [
      'ClusterRole',
      'ClusterRoleBinding',
      'ConfigMap',
      'Deployment',
      'Service',
      'ServiceAccount',
    ]);
  });

  it('grant list and watch on what the kubernetes plugin reads', () => {
    const rules = at(find('ClusterRole'), 'rules') as { resources: string[]; verbs: string[] }[];
    const granted = rules.flatMap((rule) =>
      rule.resources.map((r) => `${r}:${[...rule.verbs].sort().join(',')}`),
    );
    for (const resource of ['services', 'endpointslices', 'namespaces', 'pods']) {
      assert.ok(granted.includes(`${resource}:list,watch`), resource);
    }
  });

  it('carry a Corefile that dnskit loads, with health and ready on the probed ports', () => {
    const corefile = at(find('ConfigMap'), 'data', 'Corefile') as string;
    const { blocks } = loadCorefile(corefile, { file: 'Corefile', registry: createRegistry(builtinPlugins) });
    assert.equal(blocks.length, 1);
    assert.deepEqual(blocks[0]?.plugins.map((p) => p.name).sort(), [
      'cache',
      'errors',
      'forward',
      'health',
      'kubernetes',
      'loadbalance',
      'loop',
      'prometheus',
      'ready',
      'reload',
    ]);
    const container = at(find('Deployment'), 'spec', 'template', 'spec', 'containers', 0);
    assert.equal(at(container, 'livenessProbe', 'httpGet', 'port'), 8080);
    assert.equal(at(container, 'readinessProbe', 'httpGet', 'path'), '/ready');
    assert.equal(at(container, 'readinessProbe', 'httpGet', 'port'), 8181);
    assert.deepEqual(at(container, 'args'), ['-conf', '/etc/coredns/Corefile']);
  });

  it('run 2 replicas with the node resolver, and serve 10.96.0.10 on 53 and 9153', () => {
    const deployment = find('Deployment');
    assert.equal(at(deployment, 'spec', 'replicas'), 2);
    assert.equal(at(deployment, 'spec', 'template', 'spec', 'dnsPolicy'), 'Default');
    assert.equal(at(deployment, 'spec', 'template', 'spec', 'serviceAccountName'), 'dnskit');
    assert.ok(at(deployment, 'spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'memory'));
    const service = find('Service');
    assert.equal(at(service, 'metadata', 'name'), 'kube-dns');
    assert.equal(at(service, 'spec', 'clusterIP'), '10.96.0.10');
    const ports = at(service, 'spec', 'ports') as { port: number; protocol: string }[];
    assert.deepEqual(ports.map((p) => `${p.port}/${p.protocol}`).sort(), ['53/TCP', '53/UDP', '9153/TCP']);
    assert.deepEqual(at(service, 'spec', 'selector'), { 'k8s-app': 'kube-dns' });
    assert.equal(at(deployment, 'spec', 'template', 'metadata', 'labels', 'k8s-app'), 'kube-dns');
  });
});
