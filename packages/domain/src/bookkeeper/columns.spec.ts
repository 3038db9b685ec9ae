import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmountColumn, EventChains, NumberMap, setNarrow, withCapacity, type NarrowArray } from './columns.js';

const TWO_32 = 1n << 32n;
const TWO_48 = 1n << 48n;
/** Amounts at every edge of the column's layout: its markers, its arrays' limits, beyond 64 bits, negative. */
const edges = [0n, 1n, TWO_32 - 2n, TWO_32 - 1n, TWO_32, TWO_32 + 1n, TWO_48 - 2n, TWO_48 - 1n, TWO_48, (1n << 53n) - 1n, 1n << 53n, (1n << 64n) - 1n, 1n << 64n, -1n, -(1n << 70n)];
const amount = fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: 0n, max: TWO_32 }), fc.bigInt({ min: 0n, max: TWO_48 }), fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }));

/** What exactNumber must say of `a`: its value when a double holds it exactly, else -1. */
const exact = (a: bigint) => (a >= 0n && a <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(a) : -1);

describe('AmountColumn', () => {
  it('gives back every amount exactly, before and after it starts keeping bits 32–47, whatever the mix', () => {
    fc.assert(
      fc.property(fc.array(amount, { maxLength: 300, size: 'max' }), fc.array(amount, { minLength: 40, maxLength: 300 }), (small, large) => {
        // Mostly small amounts with runs of big ones: the column changes layout part way through.
        const amounts = [...small.map((a) => (a >= 0n ? a % TWO_32 : a)), ...large];
        const column = new AmountColumn();
        column.grow(amounts.length);
        amounts.forEach((a, i) => column.set(i, a));
        amounts.forEach((a, i) => {
          expect(column.get(i)).toBe(a);
          expect(column.exactNumber(i)).toBe(exact(a));
        });
      }),
    );
  });

  it('keeps an amount set again at the same record (an outlier replaced by a plain amount and back)', () => {
    const column = new AmountColumn();
    column.grow(2_000);
    for (let i = 0; i < 2_000; i++) column.set(i, i % 2 === 0 ? TWO_32 + BigInt(i) : BigInt(i));
    for (const [i, a] of [[4, 7n], [5, -3n], [6, TWO_48 - 1n], [7, TWO_32 - 1n]] as const) column.set(i, a);
    expect([4, 5, 6, 7, 8].map((i) => column.get(i))).toEqual([7n, -3n, TWO_48 - 1n, TWO_32 - 1n, TWO_32 + 8n]);
    column.grow(10_000);
    expect(column.get(1_998)).toBe(TWO_32 + 1_998n);
  });
});

describe('setNarrow', () => {
  it('widens the array when a number does not fit, keeping those set before', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom(255, 256, 65_535, 65_536, 2 ** 32 - 1)), { maxLength: 100 }), (numbers) => {
        let array: NarrowArray = new Uint8Array(numbers.length);
        numbers.forEach((n, i) => (array = setNarrow(array, i, n)));
        expect([...array]).toEqual(numbers);
        const largest = Math.max(0, ...numbers);
        expect(array.BYTES_PER_ELEMENT).toBe(largest > 0xffff ? 4 : largest > 0xff ? 2 : 1);
      }),
    );
  });
});

describe('EventChains', () => {
  it('lists the events of each key in insertion order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 200 }), (keys) => {
        const chains = new EventChains();
        keys.forEach((key, event) => chains.add(key, event));
        for (let key = -1; key <= 8; key++) {
          const events = keys.flatMap((k, event) => (k === key ? [event] : []));
          expect(chains.of(key)).toEqual(events);
          expect(chains.has(key)).toBe(events.length > 0);
        }
      }),
    );
  });
});

describe('withCapacity', () => {
  it('grows by at most a quarter past what is asked (from 1,024 on), keeping the elements', () => {
    let array = Uint32Array.of(1, 2, 3);
    for (const capacity of [4, 1_025, 5_000, 100_000, 100_001]) {
      array = withCapacity(array, capacity);
      expect(array.length).toBeGreaterThanOrEqual(capacity);
      expect(array.length).toBeLessThanOrEqual(Math.max(1_024, Math.ceil(capacity * 1.25)));
      expect([...array.subarray(0, 3)]).toEqual([1, 2, 3]);
    }
  });
});

describe('NumberMap', () => {
  it('answers as a Map of numbers does, through its growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.nat({ max: 50 }), fc.nat({ max: 0x7fff_ffff })), fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff })), { maxLength: 400 }), fc.array(fc.nat({ max: 0x7fff_ffff }), { maxLength: 20 }), (entries, others) => {
        const map = new NumberMap();
        const model = new Map<number, number>();
        for (const [key, value] of entries) {
          map.set(key, value);
          model.set(key, value);
          expect(map.size).toBe(model.size);
        }
        for (const key of [...model.keys(), ...others]) expect(map.get(key, -7)).toBe(model.get(key) ?? -7);
      }),
    );
  });

  it('refuses keys and values it cannot hold', () => {
    expect(() => new NumberMap().set(-1, 0)).toThrow(RangeError);
    expect(() => new NumberMap().set(2 ** 31, 0)).toThrow(RangeError);
    expect(() => new NumberMap().set(1, 2 ** 31)).toThrow(RangeError);
  });
});
