import { fileURLToPath } from 'node:url';

/** The demo's data files: two levels above both src/cli/ and dist/cli/. */
const demoDir = fileURLToPath(new URL('../../examples/demo/', import.meta.url));

/**
 * What the CLI serves when there is neither `-conf` nor `./Corefile`. CoreDNS serves `whoami` and
 * `log` on every address; dnskit serves a demo of what it can do, bound to 127.0.0.1 only, so that
 * running the binary by accident never exposes a server to the network.
 *
 * `httpPorts` are the health, ready and metrics ports; the CLI passes 0 (any free port) when the
 * DNS port is 0, so that tests can run the demo beside other servers.
 */
export function defaultCorefile(httpPorts: { health: number; ready: number; metrics: number }): string {
  return `# dnskit's embedded demo (README: what to dig).
example.test {
    bind 127.0.0.1
    root ${demoDir}
    file db.example.test
    log
    errors
}
cluster.local in-addr.arpa ip6.arpa {
    bind 127.0.0.1
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        manifests ${demoDir}cluster.yaml
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 30
    log
    errors
}
whoami.test {
    bind 127.0.0.1
    whoami
    log
}
. {
    bind 127.0.0.1
    health 127.0.0.1:${httpPorts.health}
    ready 127.0.0.1:${httpPorts.ready}
    prometheus 127.0.0.1:${httpPorts.metrics}
    log
    errors
    chaos
    any
    cache 30
    forward . /etc/resolv.conf
}
`;
}
