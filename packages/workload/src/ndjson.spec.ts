import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeNdjson } from './ndjson.js';
import { Workload } from './workload.js';

describe('writeNdjson', () => {
  it('writes one body per line, exactly the items', async () => {
    const workload = new Workload({ seed: 2, targetEvents: 3000 });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const stats = await writeNdjson(workload, out);
    const text = Buffer.concat(chunks).toString('utf8');
    const lines = text.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(stats.lines);
    expect(stats.bytes).toBe(Buffer.byteLength(text));
    expect(lines.map((l) => JSON.parse(l))).toEqual([...workload].map((i) => i.body));
  });
});
