import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RowSources } from './income.js';

/** `kinds` as IncomeStatement keeps them: ROW.made (9) for fee rows, the list above bit 4. */
const kindOf = (list: number) => (list === 2 ? 9 : 0) | (list << 4);
const sourceIn = (list: number, index: number) => (list === 0 ? -1 - index : index);

describe('RowSources (a statement row’s source as its step from the row before of its list)', () => {
  it('gives back every source, read in order, backwards or at random, and declines when too many steps are big', () => {
    const row = fc.tuple(fc.integer({ min: 0, max: 2 }), fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: -5, max: -1 })));
    fc.assert(
      fc.property(fc.array(row, { maxLength: 400, size: 'max' }), fc.array(fc.nat(), { maxLength: 50 }), (rows, reads) => {
        const last = [0, 0, 0];
        const sources = new Int32Array(rows.length);
        const kinds = new Uint8Array(rows.length);
        rows.forEach(([list, step], r) => {
          last[list] = Math.max(0, last[list]! + step);
          sources[r] = sourceIn(list, last[list]!);
          kinds[r] = kindOf(list);
        });
        const kept = RowSources.of(sources, kinds);
        const bigSteps = rows.filter(([, step]) => step < 0 || step >= 255).length;
        if (kept === null) {
          expect(bigSteps).toBeGreaterThan(0);
          return;
        }
        const order = [...sources.keys(), ...[...sources.keys()].reverse(), ...reads.map((n) => n % Math.max(1, rows.length))].filter((r) => r < rows.length);
        for (const r of order) expect(kept.sourceOf(r)).toBe(sources[r]);
      }),
    );
  });
});
