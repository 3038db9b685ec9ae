import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PiecePool, utf8Pieces, writeAnswer, type AllocatePiece } from '../src/answer-writer.js';
import { EncodedJsonRows, StreamedJson } from '../src/bigint-json.js';

/** Rows encoded into pieces from `allocate`, each piece's bytes its own (a piece used again too soon would show). */
function* numberedPieces(allocate: AllocatePiece, count: number, bytes: number): Generator<Uint8Array> {
  for (let k = 0; k < count; k++) {
    const piece = allocate(bytes + 100);
    const text = `{"k":${k},"pad":"${String.fromCharCode(97 + (k % 26)).repeat(bytes - 20)}"}`;
    const length = Buffer.from(piece.buffer, piece.byteOffset, piece.length).write(k === 0 ? text : `,${text}`);
    yield piece.subarray(0, length);
  }
}

let server: Server | null = null;

afterEach(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = null;
});

/** A server answering each request with `answer`, and the promise each answer's writer settles. */
async function serve(answer: (res: ServerResponse) => Promise<void>): Promise<{ url: string; writers: Promise<unknown>[] }> {
  const writers: Promise<unknown>[] = [];
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json; charset=utf-8');
    writers.push(answer(res).then(
      () => 'resolved',
      (error: Error) => {
        if (!res.headersSent) res.writeHead(500).end('failed before the first byte');
        return error.message;
      },
    ));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}`, writers };
}

/** The whole answer, or how it ended. */
function get(url: string, readSlowly = false): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer } | { aborted: true }> {
  return new Promise((resolve) => {
    const req = request(url, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        parts.push(chunk);
        if (readSlowly) {
          res.pause();
          setTimeout(() => res.resume(), 1);
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('aborted', () => resolve({ aborted: true }));
      res.on('error', () => resolve({ aborted: true }));
    });
    req.on('error', () => resolve({ aborted: true }));
    req.end();
  });
}

describe('writeAnswer', () => {
  it('sends the bytes of the unpooled answer, chunked, in a few pieces used again', async () => {
    const answerOf = (count: number) => new StreamedJson({ rows: new EncodedJsonRows((allocate) => numberedPieces(allocate, count, 20_000)), as_of: 7 });
    const pool = new PiecePool();
    const buffers = new Set<ArrayBufferLike>();
    const counting: AllocatePiece = (length) => {
      const piece = pool.allocate(length);
      buffers.add(piece.buffer);
      return piece;
    };
    const { url, writers } = await serve((res) => writeAnswer(res, answerOf(300).chunks(counting), pool));
    for (const readSlowly of [false, true]) {
      const got = await get(url, readSlowly);
      if ('aborted' in got) throw new Error('aborted');
      expect(got.status).toBe(200);
      expect(got.headers['transfer-encoding']).toBe('chunked');
      expect(got.headers['content-length']).toBeUndefined();
      expect(got.body.equals(Buffer.from(answerOf(300).text()))).toBe(true);
    }
    expect(await Promise.all(writers)).toEqual(['resolved', 'resolved']);
    // 2 × 300 pieces of ≈ 20 KB sent: an answer makes at most the pieces in flight (512 KiB of
    // them), the one being encoded and its last (taken, never sent); the next one uses again
    // those the pool kept.
    expect(buffers.size).toBeLessThanOrEqual(2 * (Math.ceil((512 * 1024) / 20_000) + 2));
    expect(pool.freeCount).toBeGreaterThan(0);
  });

  it('stops encoding when the client goes away mid-answer, and answers the next one', async () => {
    let encoded = 0;
    let closed = false;
    function* endless(allocate: AllocatePiece): Generator<Uint8Array> {
      try {
        for (;;) {
          encoded++;
          yield* numberedPieces(allocate, 1, 64 * 1024);
        }
      } finally {
        closed = true;
      }
    }
    const pool = new PiecePool();
    const { url, writers } = await serve((res) => writeAnswer(res, endless(pool.allocate), pool));
    await new Promise<void>((resolve) => {
      const req = request(url, (res) => {
        res.once('data', () => {
          // Stops reading: the server's writes stall, then the connection goes.
          res.pause();
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 50);
        });
      });
      req.end();
    });
    expect(await writers[0]).toBe('resolved');
    expect(closed).toBe(true);
    const encodedWhenGone = encoded;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(encoded).toBe(encodedWhenGone);
    // No more than the kernel's buffers held while the client did not read (not endless).
    expect(encoded).toBeLessThan(1_000);

    server!.removeAllListeners('request');
    server!.on('request', (_req, res: ServerResponse) => void writeAnswer(res, [Buffer.from('{"ok":true}')], pool));
    const next = await get(url);
    expect('aborted' in next ? null : next.body.toString()).toBe('{"ok":true}');
  });

  it('fails before the first byte for the caller to answer; after it, cuts the response', async () => {
    function* failing(after: number): Generator<Uint8Array> {
      for (let k = 0; k < after; k++) yield Buffer.from(`piece ${k};`);
      throw new Error(`encoder failed after ${after}`);
    }
    const { url, writers } = await serve((res) => writeAnswer(res, failing(res.req.url === '/late' ? 3 : 0)));
    const early = await get(`${url}/early`);
    expect('aborted' in early ? null : [early.status, early.body.toString()]).toEqual([500, 'failed before the first byte']);
    expect(await get(`${url}/late`)).toEqual({ aborted: true });
    expect(await Promise.all(writers)).toEqual(['encoder failed after 0', 'encoder failed after 3']);
  });
});

describe('utf8Pieces', () => {
  it('is the text given, in pieces of at most the size asked, however the text falls', () => {
    const texts = ['héllo', ...Array.from({ length: 5_000 }, (_, k) => `\n${k},ünïcödé 🙂,${'x'.repeat(k % 97)}`), 'y'.repeat(200_000), '€'.repeat(30_000), 'end'];
    const pool = new PiecePool();
    const pieces: Buffer[] = [];
    for (const piece of utf8Pieces(texts, pool.allocate, 64 * 1024)) {
      pieces.push(Buffer.from(piece));
      pool.giveBack(piece);
    }
    expect(Buffer.concat(pieces).toString('utf8')).toBe(texts.join(''));
    // only text gathered past a piece's size goes as a bigger buffer of its own: the 200,000 y's, the 90,000 B of €
    const big = pieces.filter((p) => p.length > 64 * 1024);
    expect(big.map((p) => p.length >= 200_000)).toEqual([true, false]);
    expect(big[1]!.length).toBeGreaterThanOrEqual(90_000);
    // the others filled to 64 KiB less at most a gathered text (16 Ki characters, 3 bytes each at most)
    pieces.slice(0, -1).forEach((p, k) => {
      if (!big.includes(p) && !big.includes(pieces[k + 1]!)) expect(p.length).toBeGreaterThan(16 * 1024);
    });
    expect([...utf8Pieces([], pool.allocate, 1024)]).toEqual([]);
  });
});
