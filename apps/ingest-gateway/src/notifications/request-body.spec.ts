import { describe, expect, it } from 'vitest';
import { parseRequestBody } from './request-body.js';

describe('parseRequestBody', () => {
  it('reads one object, an array, or NDJSON', () => {
    expect(parseRequestBody('{"a":1}', 'application/json')).toEqual({ ok: true, items: [{ a: 1 }] });
    expect(parseRequestBody('[{"a":1},{"a":2}]', 'application/json')).toEqual({ ok: true, items: [{ a: 1 }, { a: 2 }] });
    expect(parseRequestBody('{"a":1}\n\n{"a":2}\n', 'application/x-ndjson')).toEqual({ ok: true, items: [{ a: 1 }, { a: 2 }] });
    expect(parseRequestBody('{"a":1}\n{"a":2}', undefined)).toEqual({ ok: true, items: [{ a: 1 }, { a: 2 }] });
  });

  it('says on which line and column malformed JSON breaks', () => {
    expect(parseRequestBody('{"a":1}\n{"a":}\n', 'application/x-ndjson')).toMatchObject({ ok: false, line: 2 });
    const truncated = parseRequestBody('{"coin_movement": {"version": 2', 'application/json');
    expect(truncated).toMatchObject({ ok: false, line: 1 });
    if (!truncated.ok) expect(truncated.message).toMatch(/^malformed JSON: /);
  });

  it('refuses an empty body', () => {
    expect(parseRequestBody('  ', 'application/json')).toMatchObject({ ok: false, message: expect.stringContaining('empty body') });
  });
});
