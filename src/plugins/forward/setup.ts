import { existsSync, readFileSync } from 'node:fs';
import { zoneArgument } from '../../corefile/plugin-zones.js';
import type { DirectiveLine, DirectiveTokens, Token } from '../../corefile/types.js';
import { parseDuration } from '../../plugin-kit/duration.js';
import { rcodeToNumber } from '../../wire/codes.js';
import { validateName } from '../../wire/names.js';
import type { Rcode } from '../../wire/types.js';
import { parseUpstreamAddress, resolvConfNameservers, schemeOf } from './address.js';
import { type ForwardOptions, type ForwardTlsOptions, MAX_UPSTREAMS } from './forward.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** One TO: an address, or a file (resolv.conf) whose nameservers are the upstreams. */
function upstreamsOf(directive: DirectiveTokens, token: Token): string[] {
  const scheme = schemeOf(token.text);
  if (scheme !== undefined && scheme !== 'dns' && scheme !== 'tls') {
    throw directive.error(
      `'${scheme}' is not supported as a destination protocol in forward: ${token.text}`,
      token,
    );
  }
  if (parseUpstreamAddress(token.text) !== undefined) return [token.text];
  if (scheme === undefined && existsSync(token.text)) {
    const servers = resolvConfNameservers(readFileSync(token.text, 'utf8'));
    if (servers.length === 0) throw directive.error(`no nameservers found in ${token.text}`, token);
    return servers;
  }
  throw directive.error(`not an IP address or file: "${token.text}"`, token);
}

function noArgs(directive: DirectiveTokens, line: DirectiveLine): void {
  if (line.args.length > 0 || line.block.length > 0) throw directive.argError(line.args[0] ?? line.name);
}

function oneArg(directive: DirectiveTokens, line: DirectiveLine): Token {
  const [arg, extra] = line.args;
  if (arg === undefined || extra !== undefined) throw directive.argError(extra ?? line.name);
  return arg;
}

function duration(directive: DirectiveTokens, token: Token, what: string): number {
  const ms = parseDuration(token.text);
  if (ms === undefined) throw directive.error(`time: invalid duration "${token.text}"`, token);
  if (ms < 0) throw directive.error(`${what} can't be negative: ${token.text}`, token);
  return ms;
}

function integer(directive: DirectiveTokens, token: Token, what: string): number {
  if (!/^-?\d+$/.test(token.text)) throw directive.error(`${what}: invalid syntax "${token.text}"`, token);
  const value = Number(token.text);
  if (value < 0) throw directive.error(`${what} can't be negative: ${value}`, token);
  return value;
}

function readPem(directive: DirectiveTokens, token: Token): string {
  try {
    return readFileSync(token.text, 'utf8');
  } catch (error) {
    throw directive.error(`unable to read ${token.text}: ${(error as Error).message}`, token);
  }
}

/** `tls [CERT KEY] [CA]`: none (system CAs), CA, CERT KEY, or CERT KEY CA. */
function parseTls(directive: DirectiveTokens, line: DirectiveLine): ForwardTlsOptions {
  const args = line.args.map((token) => readPem(directive, token));
  if (args.length > 3 || line.block.length > 0) throw directive.argError(line.args[3] ?? line.name);
  const [first, second, third] = args;
  if (args.length === 1) return { ca: first as string };
  if (args.length === 2) return { cert: first as string, key: second as string };
  if (args.length === 3) return { cert: first as string, key: second as string, ca: third as string };
  return {};
}

function parseHealthCheck(directive: DirectiveTokens, line: DirectiveLine): ForwardOptions['healthCheck'] {
  const [first, ...rest] = line.args;
  if (first === undefined) throw directive.argError(line.name);
  const check: Mutable<NonNullable<ForwardOptions['healthCheck']>> = {
    intervalMs: duration(directive, first, 'health_check'),
  };
  for (let i = 0; i < rest.length; i++) {
    const option = rest[i] as Token;
    if (option.text === 'no_rec') check.recursionDesired = false;
    else if (option.text === 'domain') {
      const domain = rest[++i];
      if (domain === undefined) throw directive.argError(option);
      try {
        validateName(domain.text.endsWith('.') ? domain.text : `${domain.text}.`);
      } catch {
        throw directive.error(`health_check: invalid domain name ${domain.text}`, domain);
      }
      check.domain = domain.text;
    } else throw directive.error(`health_check: unknown option ${option.text}`, option);
  }
  return check;
}

function parseRcodes(directive: DirectiveTokens, line: DirectiveLine): Rcode[] {
  if (line.args.length === 0) throw directive.argError(line.name);
  return line.args.map((token) => {
    const rcode = token.text.toUpperCase();
    try {
      rcodeToNumber(rcode);
    } catch {
      throw directive.error(`${token.text} is not a valid rcode`, token);
    }
    return rcode;
  });
}

const POLICIES = ['random', 'round_robin', 'sequential'] as const;

/** Options without an argument or with one simple argument. */
function parseSimple(
  directive: DirectiveTokens,
  line: DirectiveLine,
  options: Mutable<ForwardOptions>,
): boolean {
  switch (line.name.text) {
    case 'force_tcp':
      noArgs(directive, line);
      options.forceTcp = true;
      return true;
    case 'prefer_udp':
      noArgs(directive, line);
      options.preferUdp = true;
      return true;
    case 'failfast_all_unhealthy_upstreams':
      noArgs(directive, line);
      options.failfastAllUnhealthyUpstreams = true;
      return true;
    case 'expire':
      options.expireMs = duration(directive, oneArg(directive, line), 'expire');
      return true;
    case 'max_fails':
      options.maxFails = integer(directive, oneArg(directive, line), 'max_fails');
      return true;
    case 'max_concurrent':
      options.maxConcurrent = integer(directive, oneArg(directive, line), 'max_concurrent');
      return true;
    case 'tls_servername':
      options.tlsServerName = oneArg(directive, line).text;
      return true;
    default:
      return false;
  }
}

function parseOption(
  directive: DirectiveTokens,
  line: DirectiveLine,
  options: Mutable<ForwardOptions>,
): void {
  if (parseSimple(directive, line, options)) return;
  switch (line.name.text) {
    case 'except':
      if (line.args.length === 0) throw directive.argError(line.name);
      options.except = line.args.flatMap((token) => zoneArgument(directive, token));
      return;
    case 'policy': {
      const token = oneArg(directive, line);
      const policy = POLICIES.find((name) => name === token.text);
      if (policy === undefined) throw directive.error(`unknown policy '${token.text}'`, token);
      options.policy = policy;
      return;
    }
    case 'tls':
      options.tls = parseTls(directive, line);
      return;
    case 'health_check':
      options.healthCheck = parseHealthCheck(directive, line) ?? {};
      return;
    case 'next':
      options.next = parseRcodes(directive, line);
      return;
    default:
      throw directive.error(`unknown property '${line.name.text}'`, line.name);
  }
}

/**
 * `forward FROM TO... { ... }`. FROM may be a CIDR (its first reverse zone is used, as CoreDNS
 * does); a TO that is not an address is read as a resolv.conf file for its nameservers.
 */
export function parseForward(directive: DirectiveTokens): ForwardOptions {
  const [fromToken, ...toTokens] = directive.args;
  if (fromToken === undefined || toTokens.length === 0) throw directive.argError(fromToken ?? directive.name);
  const from = zoneArgument(directive, fromToken)[0] ?? '.';
  const to = toTokens.flatMap((token) => upstreamsOf(directive, token));
  if (to.length > MAX_UPSTREAMS) {
    throw directive.error(`more than ${MAX_UPSTREAMS} TOs configured: ${to.length}`, toTokens[0]);
  }
  const options: Mutable<ForwardOptions> = { from, to };
  for (const line of directive.block) parseOption(directive, line, options);
  return options;
}
