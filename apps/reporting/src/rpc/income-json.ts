import { JsonBytes, utf8, type IncomeRow, type IncomeStatement } from '@bkpr/domain';

/** A node's income statement, less the rows at `dropped` (internal transfers, organization-wide). */
export interface IncomePart {
  readonly nodeId: string;
  readonly rows: IncomeStatement;
  readonly dropped: ReadonlySet<number> | null;
}

/** The answer goes out in pieces of about this many bytes (a piece is sent as it is, see utf8Pieces and writeAnswer). */
const BYTES_PER_PIECE = 256 * 1024;

/** How each row of a node ends: `,"node_id":"…"}`, as UTF-8. */
function rowEnd(nodeId: string): Uint8Array {
  return utf8(`,"node_id":${JSON.stringify(nodeId)}}`);
}

const COMMA = 44;

/**
 * Rows `from` to `to` (positions among the rows not dropped) of `parts` in order, as listincome
 * writes them: the inside of its `income_events` array, each row what stringifyJson writes for
 * incomeRowJson(row) with `node_id` added. Written straight from the statements' columns into
 * UTF-8 pieces of about 256 KiB (IncomeStatement.writeRowJson, ≈ 0.5 µs a row), as they are
 * asked for — the writer asks for the next piece when few are still being sent, so an answer
 * of any size holds a few pieces at a time, and no statement is kept as text. Pieces come
 * from `allocate`: a writer's pool gives back those it has sent (writeAnswer).
 */
export function* encodedIncomeRows(
  parts: readonly IncomePart[],
  from = 0,
  to = Number.MAX_SAFE_INTEGER,
  allocate: (length: number) => Uint8Array = Buffer.allocUnsafeSlow,
): Generator<Uint8Array> {
  const out = new JsonBytes(BYTES_PER_PIECE + 4096, allocate);
  const piece = (): Buffer => {
    const bytes = out.take();
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  };
  let position = 0;
  for (const part of parts) {
    if (position >= to) break;
    const kept = part.rows.length - (part.dropped?.size ?? 0);
    if (position + kept <= from) {
      position += kept;
      continue;
    }
    const { rows, dropped } = part;
    const end = rowEnd(part.nodeId);
    for (let i = 0; i < rows.length && position < to; i++) {
      if (dropped !== null && dropped.has(i)) continue;
      if (position++ < from) continue;
      if (position - 1 !== from) out.byte(COMMA);
      rows.writeRowJson(i, out, end);
      if (out.length >= BYTES_PER_PIECE) yield piece();
    }
  }
  if (out.length > 0) yield piece();
}

/** The rows of `parts` in order. */
export function* incomeRowsOf(parts: readonly IncomePart[]): Generator<IncomeRow> {
  for (const { rows, dropped } of parts) {
    for (let i = 0; i < rows.length; i++) if (dropped === null || !dropped.has(i)) yield rows.at(i);
  }
}
