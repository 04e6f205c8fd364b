/**
 * What the CLI serves when there is neither `-conf` nor `./Corefile`. CoreDNS serves `whoami` and
 * `log` on every address; dnskit serves a small demo of what it can do, on loopback only, so that
 * running the binary by accident never exposes a server to the network. Grows with the plugins.
 */
export const defaultCorefile = `# dnskit's embedded demo. Try, with the server on port 1053:
#   dig @127.0.0.1 -p 1053 example.org            (whoami: your address and port)
#   dig @127.0.0.1 -p 1053 version.bind CH TXT    (chaos)
#   dig @127.0.0.1 -p 1053 example.org ANY        (any: RFC 8482)
. {
    bind 127.0.0.1
    log
    errors
    chaos
    any
    whoami
}
`;
