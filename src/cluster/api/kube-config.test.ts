import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as k8s from '@kubernetes/client-node';
import { buildKubeConfig } from './kube-config.js';

/** A kubeconfig with one cluster at `server` and a bearer token, in a fresh directory. */
function kubeconfigFile(server: string): { path: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'dnskit-kubeconfig-'));
  const path = join(dir, 'config');
  writeFileSync(
    path,
    `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster:
    server: ${server}
users:
- name: u
  user:
    token: t0ken
contexts:
- name: x
  context: {cluster: c, user: u}
current-context: x
`,
  );
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('buildKubeConfig from a kubeconfig file', () => {
  it('talks plain http to an http:// server, as client-go does', async () => {
    const file = kubeconfigFile('http://127.0.0.1:6443');
    try {
      const { config, origin } = buildKubeConfig(k8s, { kubeconfig: { path: file.path }, watchPods: false });
      assert.equal(origin, 'kubeconfig');
      // client-node throws "HTTP protocol is not allowed..." here for an http server it would verify.
      const options = await config.applyToFetchOptions({});
      // client-node builds a global Headers (its type names node-fetch's).
      const headers = options.headers as unknown as Headers;
      assert.equal(headers.get('authorization'), 'Bearer t0ken');
    } finally {
      file.cleanup();
    }
  });

  it('keeps TLS verification for an https:// server', () => {
    const file = kubeconfigFile('https://127.0.0.1:6443');
    try {
      const { config } = buildKubeConfig(k8s, { kubeconfig: { path: file.path }, watchPods: false });
      assert.equal(config.getCurrentCluster()?.skipTLSVerify, false);
    } finally {
      file.cleanup();
    }
  });
});
