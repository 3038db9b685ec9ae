import { describe, expect, it } from 'vitest';
import { btcAmount, csvDescription, incomeCsv } from './csv.js';
import type { IncomeRow } from './income.js';

const row = (fields: Partial<IncomeRow>): IncomeRow => ({
  account: 'wallet', tag: 'deposit', creditMsat: 0n, debitMsat: 0n, currency: 'bc', timestamp: 1_700_000_000,
  description: null, outpoint: null, txid: null, paymentId: null, feesMsat: 0n, ...fields,
});

describe('CSV export', () => {
  it('writes amounts as BTC with 11 decimals', () => {
    expect(btcAmount(25_000n)).toBe('0.00000025000');
    expect(btcAmount(123_456_789_012_345n)).toBe('1234.56789012345');
  });

  it("escapes descriptions as CLN does: quotes become ', JSON escapes, quoted", () => {
    expect(csvDescription('say "hi"\n\ttab\\')).toBe(`"say 'hi'\\n\\ttab\\\\"`);
  });

  it('neutralizes text a spreadsheet would run as a formula, and leaves CLN\'s own cells alone', () => {
    const csv = incomeCsv('harmony', [row({ account: '=cmd|calc', description: '@SUM(A1)', debitMsat: 1_000n })]);
    const line = csv.split('\n').at(-1)!;
    expect(line).toContain(",'=cmd|calc,");
    expect(line).toContain(`"'@SUM(A1)"`);
    expect(line).toContain(',-0.00000001000,');
  });
});
