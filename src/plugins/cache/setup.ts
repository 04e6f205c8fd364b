import { pluginZones } from '../../corefile/plugin-zones.js';
import type { DirectiveLine, DirectiveTokens, Token } from '../../corefile/types.js';
import { parseDuration } from '../../plugin-kit/duration.js';
import { normalizeName } from '../../wire/names.js';
import { type CacheOptions, type CacheTierOptions, MAX_SERVFAIL_MS } from './options.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Go's `strconv.Atoi`, with its error wording. */
function atoi(directive: DirectiveTokens, token: Token): number {
  if (!/^[+-]?\d+$/.test(token.text)) {
    throw directive.error(`strconv.Atoi: parsing "${token.text}": invalid syntax`, token);
  }
  return Number(token.text);
}

function duration(directive: DirectiveTokens, token: Token): number {
  const ms = parseDuration(token.text);
  if (ms === undefined) throw directive.error(`time: invalid duration "${token.text}"`, token);
  return ms;
}

/** `success|denial CAPACITY [TTL] [MINTTL]`. */
function parseTier(directive: DirectiveTokens, line: DirectiveLine): CacheTierOptions {
  const [capacity, ttl, minTtl, extra] = line.args;
  if (capacity === undefined || extra !== undefined) throw directive.argError(extra ?? line.name);
  const tier: Mutable<CacheTierOptions> = { capacity: atoi(directive, capacity) };
  if (tier.capacity !== undefined && tier.capacity < 1) {
    throw directive.error(`cache capacity must be positive: ${tier.capacity}`, capacity);
  }
  if (ttl !== undefined) {
    tier.maxTtl = atoi(directive, ttl);
    if (tier.maxTtl <= 0) throw directive.error(`cache TTL can not be zero or negative: ${tier.maxTtl}`, ttl);
  }
  if (minTtl !== undefined) {
    tier.minTtl = atoi(directive, minTtl);
    if (tier.minTtl < 0) throw directive.error(`cache min TTL can not be negative: ${tier.minTtl}`, minTtl);
  }
  return tier;
}

/** `prefetch AMOUNT [[DURATION] [PERCENTAGE%]]`. */
function parsePrefetch(
  directive: DirectiveTokens,
  line: DirectiveLine,
): NonNullable<CacheOptions['prefetch']> {
  const [amountToken, durationToken, percentToken, extra] = line.args;
  if (amountToken === undefined || extra !== undefined) throw directive.argError(extra ?? line.name);
  const amount = atoi(directive, amountToken);
  if (amount < 0) throw directive.error(`prefetch amount should be positive: ${amount}`, amountToken);
  const prefetch: Mutable<NonNullable<CacheOptions['prefetch']>> = { amount };
  if (durationToken !== undefined) prefetch.durationMs = duration(directive, durationToken);
  if (percentToken !== undefined) {
    const text = percentToken.text;
    if (!text.endsWith('%')) {
      throw directive.error(
        `last character of percentage should be \`%\`, but is: '${text.at(-1)}'`,
        percentToken,
      );
    }
    const percentage = atoi(directive, { ...percentToken, text: text.slice(0, -1) });
    if (percentage < 10 || percentage > 90) {
      throw directive.error(`percentage should fall in range [10, 90]: ${percentage}`, percentToken);
    }
    prefetch.percentage = percentage;
  }
  return prefetch;
}

/** `serve_stale [DURATION] [immediate|verify]`. */
function parseServeStale(
  directive: DirectiveTokens,
  line: DirectiveLine,
): NonNullable<CacheOptions['serveStale']> {
  const [durationToken, modeToken, extra] = line.args;
  if (extra !== undefined) throw directive.argError(extra);
  const stale: Mutable<NonNullable<CacheOptions['serveStale']>> = {};
  if (durationToken !== undefined) {
    stale.durationMs = duration(directive, durationToken);
    if (stale.durationMs < 0)
      throw directive.error('invalid negative duration for serve_stale', durationToken);
  }
  if (modeToken !== undefined) {
    const mode = modeToken.text.toLowerCase();
    if (mode !== 'immediate' && mode !== 'verify') {
      throw directive.error(`invalid value for serve_stale refresh mode: ${mode}`, modeToken);
    }
    stale.refresh = mode;
  }
  return stale;
}

function parseServfail(directive: DirectiveTokens, line: DirectiveLine): number {
  const [token, extra] = line.args;
  if (token === undefined || extra !== undefined) throw directive.argError(extra ?? line.name);
  const ms = duration(directive, token);
  if (ms < 0) throw directive.error('invalid negative ttl for servfail', token);
  if (ms > MAX_SERVFAIL_MS)
    throw directive.error('caching SERVFAIL responses over 5 minutes is not permitted', token);
  return ms;
}

/** `disable success|denial [ZONES...]`: no zones means the root, as in CoreDNS. */
function parseDisable(directive: DirectiveTokens, line: DirectiveLine, options: Mutable<CacheOptions>): void {
  const [kind, ...zoneTokens] = line.args;
  if (kind === undefined) throw directive.argError(line.name);
  const zones = zoneTokens.length === 0 ? ['.'] : zoneTokens.map((token) => normalizeName(token.text));
  if (kind.text === 'success') options.disable = { ...options.disable, success: zones };
  else if (kind.text === 'denial') options.disable = { ...options.disable, denial: zones };
  else throw directive.error('cache type for disable must be "success" or "denial"', kind);
}

function parseLine(directive: DirectiveTokens, line: DirectiveLine, options: Mutable<CacheOptions>): void {
  if (line.block.length > 0) throw directive.argError(line.args.at(-1) ?? line.name);
  switch (line.name.text) {
    case 'success':
      options.success = parseTier(directive, line);
      return;
    case 'denial':
      options.denial = parseTier(directive, line);
      return;
    case 'prefetch':
      options.prefetch = parsePrefetch(directive, line);
      return;
    case 'serve_stale':
      options.serveStale = parseServeStale(directive, line);
      return;
    case 'servfail':
      options.servfailMs = parseServfail(directive, line);
      return;
    case 'disable':
      parseDisable(directive, line, options);
      return;
    case 'keepttl':
      if (line.args.length > 0) throw directive.argError(line.args[0]);
      options.keepTtl = true;
      return;
    default:
      // CoreDNS answers an unknown property with its argument-count error.
      throw directive.argError(line.name);
  }
}

/** `cache [TTL] [ZONES...] { success, denial, prefetch, serve_stale, servfail, disable, keepttl }`. */
export function parseCache(directive: DirectiveTokens): CacheOptions {
  let args = directive.args;
  const options: Mutable<CacheOptions> = {};
  const first = args[0];
  if (first !== undefined && /^[+-]?\d+$/.test(first.text)) {
    const ttl = Number(first.text);
    if (ttl <= 0) throw directive.error(`cache TTL can not be zero or negative: ${ttl}`, first);
    options.maxTtl = ttl;
    args = args.slice(1);
  }
  options.zones = pluginZones(directive, args);
  for (const line of directive.block) parseLine(directive, line, options);
  return options;
}
