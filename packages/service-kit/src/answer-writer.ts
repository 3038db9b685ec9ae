import type { ServerResponse } from 'node:http';

/** New bytes for an answer's piece: what an encoder writes into before the piece is sent. */
export type AllocatePiece = (length: number) => Uint8Array;

/** Fresh bytes each time (for an answer kept or sent at once: nothing tells when a piece is free again). */
export const freshPiece: AllocatePiece = (length) => Buffer.allocUnsafeSlow(length);

/** Free pieces a pool keeps of each size: 1 MiB of them (4 of listincome's pieces of 260 KiB, 16 of a CSV file's), and sizes it keeps. */
const FREE_BYTES_KEPT = 1024 * 1024;
const SIZES_KEPT = 4;

/**
 * Pieces used again once the write that sent them has completed (writeAnswer gives them
 * back): a big answer sent in hundreds of pieces then holds a few, not hundreds of buffers
 * that stay resident as garbage until a full collection (an answer makes little V8 heap
 * garbage, so none comes soon). A piece asked for while none of its size is free is fresh; a
 * piece never given back (copied, or not sent) is left to the collector.
 */
export class PiecePool {
  private readonly free = new Map<number, ArrayBuffer[]>();
  /** Handed out and not given back: only these may be given back (once). */
  private readonly out = new WeakSet<ArrayBuffer>();

  readonly allocate: AllocatePiece = (length) => {
    const bytes = this.free.get(length)?.pop() ?? (freshPiece(length).buffer as ArrayBuffer);
    this.out.add(bytes);
    return Buffer.from(bytes, 0, length);
  };

  /** `piece` (or a view of it) was sent: its bytes may be written again. Anything else is ignored. */
  giveBack(piece: Uint8Array): void {
    const bytes = piece.buffer as ArrayBuffer;
    if (!this.out.delete(bytes)) return;
    let free = this.free.get(bytes.byteLength);
    if (!free) {
      if (this.free.size >= SIZES_KEPT) return;
      this.free.set(bytes.byteLength, (free = []));
    }
    if ((free.length + 1) * bytes.byteLength <= Math.max(FREE_BYTES_KEPT, 2 * bytes.byteLength)) free.push(bytes);
  }

  /** Free pieces kept (for tests). */
  get freeCount(): number {
    let count = 0;
    for (const free of this.free.values()) count += free.length;
    return count;
  }
}

/** The process's pool of answer pieces, shared by every answer writeAnswer sends. */
export const answerPieces = new PiecePool();

/**
 * Bytes handed to the response and not yet sent, at most (besides the piece being encoded):
 * 2 of listincome's pieces, 8 of a CSV file's. At 1M facts, 1 MiB measured a higher RSS peak
 * (225–230 vs 203–217 MiB) for a CSV perhaps a little faster (1.34–1.46 vs 1.43–1.82 s, within
 * the machine's noise; 1.35 s before the pool).
 */
const BYTES_IN_FLIGHT = 512 * 1024;

/**
 * Sends `pieces` as the body of `res` (headers and status as already set; chunked, as the body's
 * length is not known), encoding the next piece only when less than BYTES_IN_FLIGHT is still
 * being written, and giving each piece back to `pool` once its write has completed. An answer
 * of any size holds a few pieces at a time.
 *
 * A client gone before or during the answer stops it (the encoder is closed, nothing more is
 * encoded; resolves). An encoder failing before the first byte rejects, so the caller's
 * exception filter answers as for any error; after it, the response is destroyed (a truncated
 * body must not look complete) and the error rejected too, for the caller to log
 * (`res.headersSent` tells which).
 */
export async function writeAnswer(res: ServerResponse, pieces: Iterable<Uint8Array>, pool?: PiecePool): Promise<void> {
  if (res.req?.method === 'HEAD') {
    // Node discards a HEAD answer's body: nothing to encode.
    res.end();
    return;
  }
  const iterator = pieces[Symbol.iterator]();
  let inFlightBytes = 0;
  let closed = res.destroyed;
  let wake: (() => void) | null = null;
  const woken = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  const onClose = () => {
    closed = true;
    woken();
  };
  const written = (piece: Uint8Array) => (error?: Error | null) => {
    inFlightBytes -= piece.length;
    // A write that failed may not be done with its bytes in every case: not used again.
    if (!error) pool?.giveBack(piece);
    woken();
  };
  res.on('close', onClose);
  let finished = false;
  try {
    for (;;) {
      while (inFlightBytes >= BYTES_IN_FLIGHT && !closed) await new Promise<void>((resolve) => (wake = resolve));
      if (closed) return;
      let next: IteratorResult<Uint8Array>;
      try {
        next = iterator.next();
      } catch (error) {
        finished = true; // the encoder has stopped: nothing to close
        if (res.headersSent) res.destroy();
        throw error;
      }
      if (next.done) {
        finished = true;
        break;
      }
      if (next.value.length === 0) continue;
      inFlightBytes += next.value.length;
      res.write(next.value, written(next.value));
    }
    await new Promise<void>((resolve) => {
      if (closed) return resolve();
      res.once('close', resolve);
      res.end(resolve);
    });
  } finally {
    res.off('close', onClose);
    if (!finished) iterator.return?.();
  }
}

/**
 * Text given in pieces (strings, or UTF-8 already) as UTF-8 pieces of `pieceBytes` from
 * `allocate`, filled to the byte or nearly: strings are gathered (up to a quarter of a piece in
 * characters), then written into the piece at once; bytes shorter than a quarter of a piece are
 * copied in, longer ones go as they are (after what is pending, never copied); text that does
 * not fit one piece goes as a fresh buffer of its own.
 */
export function* utf8Pieces(parts: Iterable<string | Uint8Array>, allocate: AllocatePiece, pieceBytes: number): Generator<Uint8Array> {
  const gather = pieceBytes >> 2;
  let piece: Buffer | null = null;
  let length = 0;
  /** The piece so far, if any, yielded; the next write starts a new one. */
  function* flush(): Generator<Uint8Array> {
    if (piece !== null && length > 0) yield piece.subarray(0, length);
    piece = null;
  }
  /** A piece with room for `bytes` (at most a piece) after the current one is yielded if full. */
  function* room(bytes: number): Generator<Uint8Array, Buffer> {
    if (piece !== null && length + bytes > piece.length) yield* flush();
    if (piece === null) {
      const fresh = allocate(pieceBytes);
      piece = Buffer.from(fresh.buffer, fresh.byteOffset, fresh.length);
      length = 0;
    }
    return piece;
  }
  function* put(text: string): Generator<Uint8Array> {
    const bytes = Buffer.byteLength(text);
    if (bytes === 0) return;
    if (bytes > pieceBytes) {
      yield* flush();
      yield Buffer.from(text);
      return;
    }
    const into = yield* room(bytes);
    length += into.write(text, length, bytes, 'utf8');
  }
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      if (text.length < gather) continue;
    }
    yield* put(text);
    text = '';
    if (typeof part === 'string' || part.length === 0) continue;
    if (part.length >= gather) {
      yield* flush();
      yield part;
    } else {
      const into = yield* room(part.length);
      into.set(part, length);
      length += part.length;
    }
  }
  yield* put(text);
  yield* flush();
}
