import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { WorkloadItem } from './stream.js';

export interface NdjsonStats {
  readonly lines: number;
  readonly bytes: number;
}

const CHUNK_CHARS = 256 * 1024;

/**
 * Writes one notification body per line to `out`, respecting backpressure, in chunks. The
 * only I/O of the package besides the CLI: the simulator itself writes nothing.
 */
export async function writeNdjson(items: Iterable<WorkloadItem>, out: Writable): Promise<NdjsonStats> {
  let chunk = '';
  let lines = 0;
  let bytes = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    bytes += Buffer.byteLength(chunk);
    const ok = out.write(chunk);
    chunk = '';
    if (!ok) await once(out, 'drain');
  };
  for (const item of items) {
    chunk += JSON.stringify(item.body) + '\n';
    lines++;
    if (chunk.length >= CHUNK_CHARS) await flush();
  }
  await flush();
  return { lines, bytes };
}

/** `writeNdjson` to a file (created or truncated). */
export async function writeNdjsonFile(items: Iterable<WorkloadItem>, path: string): Promise<NdjsonStats> {
  const out = createWriteStream(path);
  try {
    return await writeNdjson(items, out);
  } finally {
    out.end();
    await once(out, 'close');
  }
}
