import { describe, expect, it } from 'vitest';
import { Parser } from '@asyncapi/parser';
import { asyncApiDocument } from './asyncapi.js';

describe('asyncApiDocument', () => {
  it('is a valid AsyncAPI 3 document', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(asyncApiDocument('bkpr')));
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors.map((e) => `${e.path.join('.')}: ${e.message}`)).toEqual([]);
    expect(document?.channels().all().map((c) => c.address())).toContain('bkpr.ingest');
  });
});
