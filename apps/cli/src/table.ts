/**
 * A result for people: when it holds one list of rows (accounts, events, income_events…), a
 * table of them with a column per field; otherwise indented JSON.
 */
export function renderForPeople(result: Record<string, unknown>): string {
  const lists = Object.entries(result).filter(([, v]) => Array.isArray(v));
  if (lists.length !== 1) return JSON.stringify(result, null, 2);
  const [name, rows] = lists[0] as [string, Record<string, unknown>[]];
  if (rows.length === 0) return `(no ${name})`;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cells = rows.map((r) => columns.map((c) => cell(r[c])));
  const widths = columns.map((c, i) => Math.min(66, Math.max(c.length, ...cells.map((row) => row[i]!.length))));
  const line = (values: string[]) => values.map((v, i) => (v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}…` : v.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
