import { describe, expect, it } from 'vitest';
import { fmix32, hex32, Rng } from './prng.js';

describe('Rng', () => {
  it('is a pure function of its seed', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const draw = (r: Rng): number[] => Array.from({ length: 16 }, () => r.u32());
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
    expect(draw(new Rng('42'))).not.toEqual(first);
  });

  it('keeps draws in range, bigint ranges included', () => {
    const r = new Rng(1);
    for (let i = 0; i < 10_000; i++) {
      const n = r.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
      const small = r.bigint(10n, 12n);
      expect(small >= 10n && small <= 12n).toBe(true);
      const big = r.bigint(1n << 60n, (1n << 60n) + 1_000_000_000_000n);
      expect(big >= 1n << 60n && big <= (1n << 60n) + 1_000_000_000_000n).toBe(true);
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
    }
  });

  it('hits every value of a small range', () => {
    const r = new Rng(5);
    const seen = new Set<bigint>();
    for (let i = 0; i < 1000; i++) seen.add(r.bigint(0n, 9n));
    expect(seen.size).toBe(10);
  });

  it('forks independent streams', () => {
    const root = new Rng(9);
    const a = root.fork(1);
    const b = root.fork(1);
    expect(a.u32()).not.toBe(b.u32());
  });

  it('hex32 pads and fmix32 is a bijection on a sample', () => {
    expect(hex32(0)).toBe('00000000');
    expect(hex32(0xdeadbeef)).toBe('deadbeef');
    const outputs = new Set<number>();
    for (let i = 0; i < 100_000; i++) outputs.add(fmix32(i));
    expect(outputs.size).toBe(100_000);
  });
});
