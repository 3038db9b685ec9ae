import { describe, expect, it } from 'vitest';
import { stringifyJson } from './bigint-json.js';

describe('stringifyJson', () => {
  it('writes bigint msat as bare JSON integers, exact beyond 2^53', () => {
    expect(stringifyJson({ a: 5n, b: 18_446_744_073_709_551_615n, c: 'x' })).toBe('{"a":5,"b":18446744073709551615,"c":"x"}');
  });
  it('leaves strings that look like markers alone', () => {
    expect(stringifyJson({ s: '__bigint_x__1', n: 1n })).toBe('{"s":"__bigint_x__1","n":1}');
  });
});
