import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HexIds } from './hex-ids.js';

const hexId = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 });
const anyId = fc.oneof(hexId, fc.string(), fc.constantFrom('A'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64), ''));

describe('HexIds', () => {
  it('numbers ids in first-seen order, finds them and gives each back exactly (hex ids as bytes, any other text as is)', () => {
    fc.assert(
      fc.property(fc.array(anyId, { maxLength: 60 }), fc.array(anyId, { maxLength: 10 }), (ids, others) => {
        const table = new HexIds();
        const numbers = new Map<string, number>();
        for (const id of ids) {
          if (!numbers.has(id)) numbers.set(id, numbers.size);
          expect(table.add(id)).toBe(numbers.get(id));
        }
        expect(table.count).toBe(numbers.size);
        for (const [id, n] of numbers) {
          expect(table.find(id)).toBe(n);
          expect(table.textOf(n)).toBe(id);
        }
        for (const id of others) expect(table.find(id)).toBe(numbers.get(id) ?? -1);
        // written from their bytes, hex ids read as their text; others are not written
        const out = new DataView(new ArrayBuffer(70));
        for (const [id, n] of numbers) {
          const end = table.writeHex(n, out, 3);
          if (end < 0) expect(id).not.toMatch(/^[0-9a-f]{64}$/);
          else expect([end, Buffer.from(out.buffer, 3, 64).toString('latin1')]).toEqual([67, id]);
        }
      }),
    );
  });

  it('keeps finding and writing every id as its table grows (over several pages of bytes)', () => {
    const table = new HexIds();
    const ids = Array.from({ length: 10_000 }, (_, i) => (i % 7 === 0 ? `odd-${i}` : i.toString(16).padStart(64, '0')));
    ids.forEach((id, i) => expect(table.add(id)).toBe(i));
    ids.forEach((id, i) => expect([table.find(id), table.textOf(i)]).toEqual([i, id]));
    const out = new DataView(new ArrayBuffer(64));
    const written = ids.map((id, i) => (table.writeHex(i, out, 0) < 0 ? id : Buffer.from(out.buffer).toString('latin1')));
    expect(written).toEqual(ids);
    expect(table.find('f'.repeat(64))).toBe(-1);
  });
});
