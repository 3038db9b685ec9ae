import { describe, expect, it } from 'vitest';
import { MAX_MSAT, parseMsat } from './msat.js';

describe('parseMsat', () => {
  it.each([
    [0, 0n],
    [123, 123n],
    ['123', 123n],
    ['123msat', 123n],
    ['10000sat', 10_000_000n],
    ['0.001btc', 100_000_000n],
    ['1btc', 100_000_000_000n],
    ['0.00000000001btc', 1n],
    ['18446744073709551615msat', MAX_MSAT],
  ])('reads %j as %s msat', (input, expected) => {
    expect(parseMsat(input)).toEqual({ ok: true, msat: expected });
  });

  it.each([
    [-1, 'negative'],
    [1.5, 'integer'],
    [2 ** 60, 'integer'],
    ['18446744073709551616', '2^64'],
    ['0.000000000001btc', 'not an amount'],
    ['12 sat', 'not an amount'],
    ['abc', 'not an amount'],
    [null, 'expected an amount'],
    [true, 'expected an amount'],
  ])('rejects %j (%s)', (input, reason) => {
    const result = parseMsat(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(reason);
  });
});
