/**
 * Command-line params as lightning-cli reads them: `key=value` pairs become named params,
 * anything else is positional; values that look like JSON (numbers, true/false, null,
 * arrays, objects) are JSON, the rest strings. Mixing both styles is an error, as in CLN.
 */
export function cliParams(args: readonly string[]): Record<string, unknown> | unknown[] {
  const named = args.filter((a) => /^[a-z_][a-z0-9_]*=/.test(a));
  if (named.length === 0) return args.map(jsonish);
  if (named.length !== args.length) throw new Error('use either key=value params or positional ones, not both');
  return Object.fromEntries(named.map((a) => [a.slice(0, a.indexOf('=')), jsonish(a.slice(a.indexOf('=') + 1))]));
}

function jsonish(text: string): unknown {
  if (/^(-?\d+(\.\d+)?|true|false|null|\[.*\]|\{.*\})$/s.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
