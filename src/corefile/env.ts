/** Where `{$NAME}` and `{%NAME%}` look values up. */
export type EnvLookup = Readonly<Record<string, string | undefined>>;

function replaceReferences(text: string, open: string, close: string, env: EnvLookup): string {
  let out = '';
  let rest = text;
  for (;;) {
    const start = rest.indexOf(open);
    if (start === -1) break;
    const end = rest.indexOf(close, start + open.length);
    // An unterminated or empty reference (`{$}`) stops substitution, as in Caddy.
    if (end === -1 || end === start + open.length) break;
    const name = rest.slice(start + open.length, end);
    out += rest.slice(0, start) + (env[name] ?? '');
    rest = rest.slice(end + close.length);
  }
  return out + rest;
}

/**
 * Substitutes environment references in one token, as CoreDNS does for server block keys, directive
 * names and arguments, and import paths: `{%NAME%}` first, then `{$NAME}`; an unset variable becomes
 * the empty string. Substituted values are not scanned again.
 */
export function substituteEnv(text: string, env: EnvLookup): string {
  if (!text.includes('{')) return text;
  return replaceReferences(replaceReferences(text, '{%', '%}', env), '{$', '}', env);
}
