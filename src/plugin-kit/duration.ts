/**
 * Go-style durations (`300ms`, `1.5s`, `5m`, `1h30m`), as CoreDNS Corefiles write them, and Go's
 * `time.Duration.String()` rendering, which CoreDNS prints in its log lines.
 */

const NS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3,
  μs: 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

const SEGMENT = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

/**
 * Parses a Go duration into milliseconds, or undefined when the text is not one.
 * A bare `0` is allowed, as in Go; any other number needs a unit.
 */
export function parseDuration(text: string): number | undefined {
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest.startsWith('-') ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') return undefined;
  let ns = 0;
  while (rest !== '') {
    const match = SEGMENT.exec(rest);
    if (!match) return undefined;
    const [whole, amount = '', unit = ''] = match;
    ns += Number(amount) * (NS_PER_UNIT[unit] ?? Number.NaN);
    rest = rest.slice(whole.length);
  }
  return Number.isFinite(ns) ? (sign * ns) / 1e6 : undefined;
}

/** `whole.fraction` of `ns / unit`, without trailing zeros (Go's `fmtFrac`). */
function decimal(ns: number, unit: number): string {
  const whole = Math.floor(ns / unit);
  const digits = String(unit).length - 1;
  const fraction = String(ns % unit)
    .padStart(digits, '0')
    .replace(/0+$/, '');
  return fraction === '' ? String(whole) : `${whole}.${fraction}`;
}

/** Renders milliseconds as Go's `Duration.String()` does: `0s`, `20ms`, `1.5s`, `5m0s`, `1h0m0s`. */
export function formatDuration(ms: number): string {
  const total = Math.round(ms * 1e6);
  if (total === 0) return '0s';
  const sign = total < 0 ? '-' : '';
  let ns = Math.abs(total);
  if (ns < 1e3) return `${sign}${ns}ns`;
  if (ns < 1e6) return `${sign}${decimal(ns, 1e3)}µs`;
  if (ns < 1e9) return `${sign}${decimal(ns, 1e6)}ms`;
  const hours = Math.floor(ns / 3600e9);
  ns -= hours * 3600e9;
  const minutes = Math.floor(ns / 60e9);
  ns -= minutes * 60e9;
  const seconds = `${decimal(ns, 1e9)}s`;
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

/** Milliseconds as decimal seconds with nanosecond precision and no exponent: `0.000123456s`. */
export function formatSeconds(ms: number): string {
  const ns = Math.max(0, Math.round(ms * 1e6));
  return `${decimal(ns, 1e9)}s`;
}
