import { describe, expect, it } from 'vitest';
import { EncodedJsonRows, JsonRows, StreamedJson, stringifyJson } from './bigint-json.js';

describe('stringifyJson', () => {
  it('writes bigint msat as bare JSON integers, exact beyond 2^53', () => {
    expect(stringifyJson({ a: 5n, b: 18_446_744_073_709_551_615n, c: 'x' })).toBe('{"a":5,"b":18446744073709551615,"c":"x"}');
  });
  it('leaves strings that look like markers alone', () => {
    expect(stringifyJson({ s: '__bigint_x__1', n: 1n })).toBe('{"s":"__bigint_x__1","n":1}');
  });
});

describe('StreamedJson', () => {
  const rows = Array.from({ length: 2_345 }, (_, i) => ({ i, msat: BigInt(i) * 18_446_744_073_709n, text: i % 7 ? 'é"\n' : undefined }));

  it('writes what stringifyJson writes for the same object, rows as an array', () => {
    const answer = new StreamedJson({ rows: new JsonRows(rows), skipped: undefined, next_cursor: '12', as_of: 7 });
    const expected = stringifyJson({ rows, next_cursor: '12', as_of: 7 });
    expect(answer.text()).toBe(expected);
    expect(stringifyJson(answer)).toBe(expected);
    expect(Buffer.concat([...answer.chunks()]).toString('utf8')).toBe(expected);
  });

  it('writes rows encoded before as they are', () => {
    const encoded = new EncodedJsonRows([Buffer.from('{"a":1},'), Buffer.from('{"b":"é"}'), Buffer.alloc(0)]);
    expect(new StreamedJson({ rows: encoded, as_of: 2 }).text()).toBe('{"rows":[{"a":1},{"b":"é"}],"as_of":2}');
  });

  it('gives its bytes up to a length, and null as soon as it is longer', () => {
    const answer = new StreamedJson({ rows: new JsonRows(rows), as_of: 7 });
    const bytes = Buffer.from(answer.text());
    expect(Buffer.from(answer.bytesUpTo(bytes.length)!).equals(bytes)).toBe(true);
    expect(answer.bytesUpTo(bytes.length - 1)).toBeNull();
  });

  it('writes empty rows and empty objects as JSON does', () => {
    expect(new StreamedJson({ rows: new JsonRows([]), as_of: 1 }).text()).toBe('{"rows":[],"as_of":1}');
    expect(new StreamedJson({}).text()).toBe('{}');
  });
});
