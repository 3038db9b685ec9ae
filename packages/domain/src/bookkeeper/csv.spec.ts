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

  it('writes the strict variants importers document: CoinTracker without Account, QuickBooks US dates and a quoted description', () => {
    const rows = [row({ account: 'wallet', creditMsat: 2_000_000_000n, description: 'salary, "ACME"' })];
    expect(incomeCsv('cointracker-strict', rows)).toBe('Date,Received Quantity,Received Currency,Sent Quantity,Sent Currency,Fee Amount,Fee Currency,Tag\n11/14/2023 22:13:20,0.02000000000,btc,,,,,');
    expect(incomeCsv('quickbooks-strict', rows)).toBe('Date,Description,Credit,Debit\n11/14/2023,"deposit (wallet) bc: salary, ""ACME""",0.02000000000,');
  });
});
