import { randomBytes } from 'node:crypto';
import { freshPiece, utf8Pieces, type AllocatePiece } from './answer-writer.js';

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * JSON.stringify that writes bigint as a bare JSON integer, exact at any size (CLN writes
 * msat fields as integers up to 2^64). Values a double holds exactly go out as numbers; the
 * rare larger ones (Node 20 has no JSON.rawJSON) as marked strings, unquoted afterwards —
 * the marker is random per call, and the rewrite only runs when there is such a value.
 */
export function stringifyJson(value: unknown, indent?: number): string {
  if (value instanceof StreamedJson && indent === undefined) return value.text();
  let marker: string | null = null;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      if (v <= MAX_EXACT && v >= -MAX_EXACT) return Number(v);
      marker ??= `__bigint_${randomBytes(6).toString('hex')}__`;
      return `${marker}${v.toString(10)}`;
    },
    indent,
  );
  return marker === null ? text : text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
}

/** Rows of an answer, encoded slice by slice while it is sent (see StreamedJson). */
export class JsonRows {
  constructor(readonly rows: Iterable<unknown>) {}
}

/**
 * Rows encoded before: UTF-8 pieces whose concatenation is the rows' JSON joined by commas,
 * the inside of the array (an answer remembered as text, see StreamedJson). Or encoded as
 * they are sent, into pieces from the allocator given (see writeAnswer's pool).
 */
export class EncodedJsonRows {
  constructor(readonly pieces: Iterable<Uint8Array> | ((allocate: AllocatePiece) => Iterable<Uint8Array>)) {}

  piecesFrom(allocate: AllocatePiece): Iterable<Uint8Array> {
    return typeof this.pieces === 'function' ? this.pieces(allocate) : this.pieces;
  }
}

const ROWS_PER_SLICE = 1_000;
const BYTES_PER_WRITE = 64 * 1024;

/**
 * An answer whose top-level values may be JsonRows or EncodedJsonRows: written in pieces as it
 * is encoded, so a big answer never exists as one string. The text is stringifyJson's for the
 * same object with each of those as an array, byte for byte.
 */
export class StreamedJson {
  constructor(readonly value: Readonly<Record<string, unknown>>) {}

  /** `allocate`: where EncodedJsonRows encoded as sent write their pieces (fresh bytes unless a writer gives them back). */
  *pieces(allocate: AllocatePiece = freshPiece): Generator<string | Uint8Array> {
    let first = true;
    for (const [key, value] of Object.entries(this.value)) {
      if (value instanceof EncodedJsonRows) {
        yield `${first ? '{' : ','}${JSON.stringify(key)}:[`;
        yield* value.piecesFrom(allocate);
        yield ']';
      } else if (!(value instanceof JsonRows)) {
        const text = stringifyJson({ [key]: value });
        if (text === '{}') continue; // undefined, a function: JSON leaves the key out
        yield `${first ? '{' : ','}${text.slice(1, -1)}`;
      } else {
        yield `${first ? '{' : ','}${JSON.stringify(key)}:[`;
        let slice: unknown[] = [];
        let sep = '';
        for (const row of value.rows) {
          slice.push(row);
          if (slice.length < ROWS_PER_SLICE) continue;
          yield sep + stringifyJson(slice).slice(1, -1);
          sep = ',';
          slice = [];
        }
        if (slice.length) yield sep + stringifyJson(slice).slice(1, -1);
        yield ']';
      }
      first = false;
    }
    yield first ? '{}' : '}';
  }

  /** The whole text (for a transport that sends it at once). */
  text(): string {
    return Buffer.concat([...this.chunks()]).toString('utf8');
  }

  /** The whole text as UTF-8 when it is at most `maxBytes` long; null once it is longer (encoding stops there). */
  bytesUpTo(maxBytes: number): Uint8Array | null {
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for (const chunk of this.chunks()) {
      bytes += chunk.length;
      if (bytes > maxBytes) return null;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks, bytes);
  }

  /** UTF-8 in writes of about 64 KiB (pieces of 16 KiB or more as they are), written into pieces from `allocate`. */
  chunks(allocate: AllocatePiece = freshPiece): Generator<Uint8Array> {
    return utf8Pieces(this.pieces(allocate), allocate, BYTES_PER_WRITE);
  }
}
