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
    // Beyond a number's exact range (2^53): as bigint arithmetic writes them.
    expect(btcAmount(2n ** 53n + 1n)).toBe('90071.99254740993');
    expect(btcAmount(2_100_000_000_000_000_000n)).toBe('21000000.00000000000');
  });

  it('writes Koinly rows: dates to the minute (rows in time order, across a day), amounts, fees of invoices only', () => {
    const rows = [
      row({ timestamp: 1_700_006_399, debitMsat: 5_000n, tag: 'invoice', feesMsat: 1_000n, paymentId: 'ab', description: 'plain' }),
      row({ timestamp: 1_700_006_400, creditMsat: 7_000n, feesMsat: 1_000n, txid: 'cd', outpoint: 'ef:0' }),
      row({ timestamp: 1_700_006_459, tag: 'invoice_fee', debitMsat: 1n }),
      row({ timestamp: 1_700_006_460, creditMsat: 1n, description: '=1+1', outpoint: 'ef:1' }),
      row({ timestamp: 1_699_999_999.5, creditMsat: 1n }),
    ];
    expect(incomeCsv('koinly', rows).split('\n').slice(1)).toEqual([
      '2023-11-14 23:59 UTC,0.00000005000,btc,,,0.00000001000,btc,invoice,"plain",ab',
      '2023-11-15 00:00 UTC,,,0.00000007000,btc,,,deposit,,cd',
      '2023-11-15 00:01 UTC,,,0.00000000001,btc,,,deposit,"=1+1",ef:1',
      '2023-11-14 22:13 UTC,,,0.00000000001,btc,,,deposit,,',
    ]);
  });

  it("escapes descriptions as CLN does: quotes become ', JSON escapes, quoted", () => {
    expect(csvDescription('say "hi"\n\ttab\\')).toBe(`"say 'hi'\\n\\ttab\\\\"`);
    expect(csvDescription('plain, ünïcode')).toBe('"plain, ünïcode"');
    expect(csvDescription('\tlead\u0001\u007f')).toBe(`"\\tlead\\u0001\\u007F"`);
  });

  it("writes formula-looking text as CLN does in its formats (no guard), and neutralizes it in our strict ones", () => {
    const rows = [row({ account: '=cmd|calc', description: '@SUM(A1)', debitMsat: 1_000n })];
    const harmony = incomeCsv('harmony', rows).split('\n').at(-1)!;
    expect(harmony).toContain(',=cmd|calc,');
    expect(harmony).toContain('"@SUM(A1)"');
    expect(harmony).toContain(',-0.00000001000,');
    expect(incomeCsv('quickbooks-strict', [row({ account: 'wallet', description: 'x', creditMsat: 1n, tag: '=deposit' })]).split('\n').at(-1)).toBe(
      `11/14/2023,"'=deposit (wallet) bc: x",0.00000000001,`,
    );
  });

  it('writes the strict variants importers document: CoinTracker without Account, QuickBooks US dates and a quoted description', () => {
    const rows = [row({ account: 'wallet', creditMsat: 2_000_000_000n, description: 'salary, "ACME"' })];
    expect(incomeCsv('cointracker-strict', rows)).toBe('Date,Received Quantity,Received Currency,Sent Quantity,Sent Currency,Fee Amount,Fee Currency,Tag\n11/14/2023 22:13:20,0.02000000000,btc,,,,,');
    expect(incomeCsv('quickbooks-strict', rows)).toBe('Date,Description,Credit,Debit\n11/14/2023,"deposit (wallet) bc: salary, ""ACME""",0.02000000000,');
  });
});
