import { incomeRowJson, type IncomeRow, type IncomeStatement } from '@bkpr/domain';
import { stringifyJson } from '@bkpr/service-kit';

/** A node's income statement, less the rows at `dropped` (internal transfers, organization-wide). */
export interface IncomePart {
  readonly nodeId: string;
  readonly rows: IncomeStatement;
  readonly dropped: ReadonlySet<number> | null;
}

const ROWS_PER_SLICE = 1_000;

/** A statement's rows as listincome writes them (with `node_id`), each followed by a comma, in slices of 1,000 rows. */
interface EncodedStatement {
  readonly nodeId: string;
  readonly slices: readonly Buffer[];
  /** ends[k][j]: the byte after row k·1000 + j and its comma, in slices[k]. */
  readonly ends: readonly Uint32Array[];
}

/**
 * Statements as text, remembered with the statement itself: incomeStatementOf keeps one
 * statement per books version and options, so an encoding lives exactly as long as its statement
 * is the current one. Encoding is most of a big listincome's time (≈ 1 µs a row).
 */
const encodings = new WeakMap<IncomeStatement, EncodedStatement>();

function encoded(nodeId: string, rows: IncomeStatement): EncodedStatement {
  const known = encodings.get(rows);
  if (known && known.nodeId === nodeId) return known;
  const slices: Buffer[] = [];
  const ends: Uint32Array[] = [];
  for (let first = 0; first < rows.length; first += ROWS_PER_SLICE) {
    const end = new Uint32Array(Math.min(ROWS_PER_SLICE, rows.length - first));
    let text = '';
    let bytes = 0;
    for (let j = 0; j < end.length; j++) {
      const json = incomeRowJson(rows.at(first + j));
      json['node_id'] = nodeId;
      const row = `${stringifyJson(json)},`;
      text += row;
      bytes += Buffer.byteLength(row);
      end[j] = bytes;
    }
    slices.push(Buffer.from(text));
    ends.push(end);
  }
  const statement = { nodeId, slices, ends };
  encodings.set(rows, statement);
  return statement;
}

/**
 * The rows of `parts` in order, as listincome writes them (its `income_events` array, inside
 * the brackets): runs of the remembered text, without the comma after the last row.
 */
export function* encodedIncomeRows(parts: readonly IncomePart[]): Generator<Uint8Array> {
  let held: Uint8Array | null = null;
  function* emit(piece: Uint8Array): Generator<Uint8Array> {
    if (piece.length === 0) return;
    if (held) yield held;
    held = piece;
  }
  for (const part of parts) {
    const statement = encoded(part.nodeId, part.rows);
    for (let k = 0; k < statement.slices.length; k++) {
      const slice = statement.slices[k]!;
      const end = statement.ends[k]!;
      if (part.dropped === null) {
        yield* emit(slice);
        continue;
      }
      let runStart = 0;
      for (let j = 0; j < end.length; j++) {
        if (!part.dropped.has(k * ROWS_PER_SLICE + j)) continue;
        const rowStart = j === 0 ? 0 : end[j - 1]!;
        yield* emit(slice.subarray(runStart, rowStart));
        runStart = end[j]!;
      }
      yield* emit(slice.subarray(runStart, end[end.length - 1]));
    }
  }
  const last = held as Uint8Array | null;
  if (last) yield last.subarray(0, last.length - 1);
}

/** The rows of `parts` in order, each with its node. */
export function* incomeRowsOf(parts: readonly IncomePart[]): Generator<{ row: IncomeRow; nodeId: string }> {
  for (const part of parts) {
    for (let i = 0; i < part.rows.length; i++) if (!part.dropped?.has(i)) yield { row: part.rows.at(i), nodeId: part.nodeId };
  }
}
