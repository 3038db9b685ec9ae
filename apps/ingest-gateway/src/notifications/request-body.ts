/** What a request body held: the notifications, or where it stopped being JSON. */
export type BodyParseResult =
  | { readonly ok: true; readonly items: unknown[] }
  | { readonly ok: false; readonly message: string; readonly line: number; readonly column: number };

export const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];

/**
 * A body is one notification, a JSON array of them, or NDJSON (one per line; blank lines
 * are skipped). NDJSON is taken from its content type, or when the text is not one JSON
 * value but every line is.
 */
export function parseRequestBody(text: string, contentType: string | undefined): BodyParseResult {
  const ndjson = NDJSON_TYPES.some((t) => contentType?.toLowerCase().startsWith(t));
  if (!ndjson) {
    const whole = parseJson(text, 1);
    if (whole.ok) return { ok: true, items: Array.isArray(whole.value) ? whole.value : [whole.value] };
    if (!text.includes('\n')) return whole;
    const lines = parseLines(text);
    return lines.ok ? lines : whole;
  }
  return parseLines(text);
}

function parseLines(text: string): BodyParseResult {
  const items: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const parsed = parseJson(line, i + 1);
    if (!parsed.ok) return parsed;
    items.push(parsed.value);
  }
  if (items.length === 0) return { ok: false, message: 'empty body: expected a notification, an array or NDJSON', line: 1, column: 1 };
  return { ok: true, items };
}

function parseJson(text: string, firstLine: number): { ok: true; value: unknown } | (BodyParseResult & { ok: false }) {
  if (text.trim() === '') return { ok: false, message: 'empty body: expected a notification, an array or NDJSON', line: firstLine, column: 1 };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    const before = text.slice(0, offset);
    const line = firstLine + (before.match(/\n/g)?.length ?? 0);
    const column = offset - before.lastIndexOf('\n');
    return { ok: false, message: `malformed JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, line, column };
  }
}
