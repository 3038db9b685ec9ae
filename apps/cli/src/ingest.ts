import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface IngestSummary {
  accepted: number;
  duplicates: number;
  rejected: number;
  skipped: number;
}

const BATCH_LINES = 1_000;

/**
 * `bkpr ingest <file|->`: NDJSON notifications to the gateway in batches of 1,000 lines, a
 * progress line on stderr, a summary at the end. Resumable: the number of lines the gateway
 * acknowledged is kept in `<file>.bkpr-progress`, and a rerun starts after them (resending
 * would be harmless anyway: the gateway drops re-sends). A batch the gateway refuses is
 * counted as rejected with its reason; the rest go on.
 */
export async function ingestFile(file: string, options: { url: string; token?: string | undefined; node?: string | undefined }): Promise<IngestSummary> {
  const progressFile = file === '-' ? null : `${file}.bkpr-progress`;
  const done = progressFile && existsSync(progressFile) ? Number(readFileSync(progressFile, 'utf8')) || 0 : 0;
  const input = file === '-' ? process.stdin : createReadStream(file);
  const summary: IngestSummary = { accepted: 0, duplicates: 0, rejected: 0, skipped: done };
  const target = new URL('/v1/notifications', options.url);
  if (options.node) target.searchParams.set('node_id', options.node);
  let lineNo = 0;
  let batch: string[] = [];
  const send = async () => {
    if (batch.length === 0) return;
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: batch.join('\n'),
    });
    const body = (await res.json().catch(() => ({}))) as { accepted?: number; duplicates?: number; error?: string; issues?: unknown[]; message?: string };
    if (res.status === 202) {
      summary.accepted += body.accepted ?? 0;
      summary.duplicates += body.duplicates ?? 0;
      if (progressFile) writeFileSync(progressFile, String(lineNo));
    } else if (res.status === 400) {
      summary.rejected += batch.length;
      process.stderr.write(`\nlines ${lineNo - batch.length + 1}-${lineNo} rejected: ${JSON.stringify(body.issues ?? body.message ?? body.error).slice(0, 500)}\n`);
    } else {
      throw new Error(`gateway answered ${res.status} at line ${lineNo}: ${body.message ?? body.error ?? ''} — rerun to resume`);
    }
    batch = [];
    process.stderr.write(`\r${lineNo} lines: ${summary.accepted} accepted, ${summary.duplicates} duplicates, ${summary.rejected} rejected`);
  };
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNo += 1;
    if (lineNo <= done || line.trim() === '') continue;
    batch.push(line);
    if (batch.length >= BATCH_LINES) await send();
  }
  await send();
  process.stderr.write('\n');
  return summary;
}
