import { describe, expect, it } from 'vitest';
import type { Fact } from './facts.js';
import { chainFact, channelFact, tx } from './fact-builders.testing.js';
import type { IncomeRow } from './income.js';
import { incomeStatement } from './income.js';
import { keepBooks } from './keep-books.js';
import {
  bkprReport,
  currencyRateText,
  parseReportFormat,
  renderReportRow,
  ReportFormatError,
  reportIncomeRows,
  type ReportCurrency,
  type ReportField,
  type ReportPart,
  type ReportTemplate,
} from './report.js';
import type { Account, Books, FeeRow } from './state.js';
import { FeeRowList } from './fee-rows.js';
import { HexIds } from './hex-ids.js';

// Cases of CLN's plugins/bkpr/test/run-parse_report.c, run-format_event.c and
// run-currencyrate_str.c, restated; then bkpr-report end to end over books of our own.

const text = (t: string): ReportPart => ({ kind: 'text', text: t });
const field = (name: ReportField, parts: { ifSet?: ReportTemplate; ifNotSet?: ReportTemplate } = {}): ReportPart => ({
  kind: 'field',
  field: name,
  ifSet: parts.ifSet ?? null,
  ifNotSet: parts.ifNotSet ?? null,
});
const row = (fields: Partial<IncomeRow> = {}): IncomeRow => ({
  account: 'wallet', tag: 'deposit', creditMsat: 0n, debitMsat: 0n, currency: 'bcrt', timestamp: 1_700_000_000,
  description: null, outpoint: null, txid: null, paymentId: null, feesMsat: 0n, ...fields,
});
const refusal = (format: string) => {
  try {
    parseReportFormat(format);
  } catch (error) {
    if (error instanceof ReportFormatError) return [error.kind, error.message];
    throw error;
  }
  throw new Error(`accepted ${format}`);
};

describe('parsing a report format (run-parse_report)', () => {
  it('splits text around a field', () => {
    expect(parseReportFormat('hello {tag} world')).toEqual([text('hello '), field('tag'), text(' world')]);
  });

  it('reads {{ as one literal brace, kept with the text before it', () => {
    expect(parseReportFormat('a{{b')).toEqual([text('a{'), text('b')]);
  });

  it('takes {name:…} as the text for an unset field', () => {
    expect(parseReportFormat('{description:NONE}')).toEqual([field('description', { ifNotSet: [text('NONE')] })]);
  });

  it('nests fallbacks inside fallbacks', () => {
    expect(parseReportFormat('{description:{txid:{outpoint:NONE}}}')).toEqual([
      field('description', { ifNotSet: [field('txid', { ifNotSet: [field('outpoint', { ifNotSet: [text('NONE')] })] })] }),
    ]);
  });

  it('keeps text after a nested field inside the fallback, and after the tag outside it', () => {
    expect(parseReportFormat('{description:{txid}X}Y')).toEqual([field('description', { ifNotSet: [field('txid'), text('X')] }), text('Y')]);
  });

  it('takes {name?A:B} as if-set and if-not-set parts, each a format of its own', () => {
    expect(parseReportFormat('{credit?+{credit}:0}')).toEqual([field('credit', { ifSet: [text('+'), field('credit')], ifNotSet: [text('0')] })]);
  });

  it('refuses an unknown field, at any depth', () => {
    expect(refusal('{nope}')).toEqual(['unknown_tag', 'Unknown tag nope']);
    expect(refusal('{description:{nope}}')).toEqual(['unknown_tag', 'Unknown tag nope']);
  });

  it('refuses a tag that never closes, naming the rest of the format when no ? : or } follows', () => {
    expect(refusal('{description')).toEqual(['unterminated_tag', 'Unterminated tag description']);
    expect(refusal('x {description:{txid')).toEqual(['unterminated_tag', 'Unterminated tag txid']);
  });

  it('refuses a fallback that reaches the end without its closing brace', () => {
    expect(refusal('{description:{txid}')).toEqual(['unterminated_tag', 'Unterminated tag']);
  });

  // Ours, beyond CLN's cases: what its parser does at the edges.
  it('treats } ? and : outside a tag as text, and : inside if-not-set as text', () => {
    expect(parseReportFormat('a}b?c:d')).toEqual([text('a}b?c:d')]);
    expect(parseReportFormat('{txid:a:b}')).toEqual([field('txid', { ifNotSet: [text('a:b')] })]);
    expect(parseReportFormat('{txid?}{txid:}')).toEqual([field('txid', { ifSet: [] }), field('txid', { ifNotSet: [] })]);
  });

  it('matches names exactly: an empty name, a different case or a brace inside are unknown', () => {
    expect(refusal('{}')).toEqual(['unknown_tag', 'Unknown tag ']);
    expect(refusal('{Tag}')).toEqual(['unknown_tag', 'Unknown tag Tag']);
    expect(refusal('{a{b}')).toEqual(['unknown_tag', 'Unknown tag a{b']);
  });
});

describe('rendering a row (run-format_event)', () => {
  it('copies text alone', () => {
    expect(renderReportRow([text('hello')], row())).toBe('hello');
  });

  it('puts a field between texts', () => {
    expect(renderReportRow([text('tag='), field('tag'), text('!')], row({ tag: 'invoice' }))).toBe('tag=invoice!');
  });

  it('uses the if-not-set text for an absent field', () => {
    expect(renderReportRow([field('payment_id', { ifNotSet: [text('NONE')] })], row())).toBe('NONE');
  });

  it('follows nested fallbacks to the first field that is set, or the last text', () => {
    const t = [field('description', { ifNotSet: [field('txid', { ifNotSet: [text('LAST')] })] })];
    expect(renderReportRow(t, row())).toBe('LAST');
    expect(renderReportRow(t, row({ txid: tx('a') }))).toBe(tx('a'));
  });

  it('quotes a value with a comma or quote for csv, doubling the quotes', () => {
    expect(renderReportRow([field('description')], row({ description: 'hello, "world"' }), 'csv')).toBe('"hello, ""world"""');
  });

  it('prints nothing for an absent field without a fallback', () => {
    expect(renderReportRow([text('A'), field('payment_id'), text('B')], row())).toBe('AB');
  });

  it('takes if-set for a non-zero amount and if-not-set for zero', () => {
    const t = [field('credit', { ifSet: [text('+'), field('credit')], ifNotSet: [text('0')] })];
    expect(renderReportRow(t, row({ creditMsat: 100_000_000n }))).toBe('+0.00100000000');
    expect(renderReportRow(t, row())).toBe('0');
  });

  it('prints a zero amount as 0 when nothing asks whether it is set', () => {
    expect(renderReportRow([field('credit')], row())).toBe('0');
  });

  // Ours, beyond CLN's cases.
  it('prints nothing for a zero amount with only an if-set part', () => {
    expect(renderReportRow(parseReportFormat('[{debit?-{debit}}]'), row())).toBe('[]');
  });

  it('renders every field as CLN does: BTC with 11 decimals, times as YYYY-MM-DD HH:MM:SS (local = UTC here)', () => {
    const r = row({
      account: 'chan', tag: 'invoice', creditMsat: 0n, debitMsat: 123_456_789n, feesMsat: 1_001n, timestamp: 1_700_000_000,
      description: 'd', outpoint: `${tx('b')}:1`, txid: tx('c'), paymentId: tx('d'),
    });
    const t = parseReportFormat('{account}|{tag}|{description}|{credit}|{debit}|{fees}|{localtime}|{utctime}|{outpoint}|{txid}|{payment_id}|{creditdebit}');
    expect(renderReportRow(t, r)).toBe(`chan|invoice|d|0|0.00123456789|0.00000001001|2023-11-14 22:13:20|2023-11-14 22:13:20|${tx('b')}:1|${tx('c')}|${tx('d')}|-0.00123456789`);
    expect(renderReportRow(parseReportFormat('{creditdebit}/{creditdebit?x:y}'), row({ creditMsat: 100_000_000_000n }))).toBe('+1.00000000000/x');
    expect(renderReportRow(parseReportFormat('{creditdebit}/{creditdebit?x:y}'), row())).toBe('0/y');
  });

  it('counts an empty description as set', () => {
    expect(renderReportRow(parseReportFormat('{description?set:unset}'), row({ description: '' }))).toBe('set');
  });

  it('escapes field values only, inside conditional parts too, never the text', () => {
    const t = parseReportFormat('a,"{account}",{description?<{description}>:,}');
    expect(renderReportRow(t, row({ account: 'x"y', description: 'line\nbreak' }), 'csv')).toBe('a,""x""y"",<"line\nbreak">');
    expect(renderReportRow(t, row({ account: 'x"y' }), 'none')).toBe('a,"x"y",,');
    expect(renderReportRow(t, row({ account: 'cr\r' }), 'csv')).toBe('a,""cr\r"",,');
  });

  it('leaves the currency fields unset without a currency, but for the 0 of a row with no amount', () => {
    const t = parseReportFormat('{bkpr-currency:-}|{currencyrate:-}|{currencycredit:-}|{currencydebit:-}|{currencycreditdebit:-}');
    expect(renderReportRow(t, row({ creditMsat: 5n }))).toBe('-|-|-|-|-');
    // CLN's currencycreditdebit gives "0" for such a row, and that 0 counts as set.
    expect(renderReportRow(t, row())).toBe('-|-|-|-|0');
  });

  it('converts into the currency when a rate covers the time', () => {
    const usd: ReportCurrency = { name: 'USD', minorUnit: 2, rates: [{ timestamp: 1_700_000_000, rawRate: 5_000_000n, durationSeconds: 3600 }] };
    const t = parseReportFormat('{bkpr-currency} {currencyrate} {currencycredit} {currencydebit} {currencycreditdebit}');
    expect(renderReportRow(t, row({ creditMsat: 1_000_000_000n, timestamp: 1_700_000_001 }), 'none', usd)).toBe('USD 50000.00 500.00 0.00 +500.00');
    expect(renderReportRow(t, row({ debitMsat: 100_000n, timestamp: 1_700_000_001 }), 'none', usd)).toBe('USD 50000.00 0.00 0.05 -0.05');
    expect(renderReportRow(t, row({ debitMsat: 100_000n, timestamp: 1_700_003_600 }), 'none', usd)).toBe('USD    ');
  });
});

describe('amounts in a currency (run-currencyrate_str)', () => {
  const TS = 1000;
  const usd = (rates: ReportCurrency['rates']): ReportCurrency => ({ name: 'USD', minorUnit: 2, rates });
  const rate = { timestamp: TS, rawRate: 5_000_000n, durationSeconds: 3600 }; // $50,000 per BTC, in cents

  it('has nothing without a rate, before the first rate, or once the rate has expired', () => {
    expect(currencyRateText(usd([]), TS, null)).toBeNull();
    expect(currencyRateText(usd([rate]), TS - 1, null)).toBeNull();
    expect(currencyRateText(usd([rate]), TS + 3600, null)).toBeNull();
  });

  it('gives the rate of 1 BTC, and of 1 BTC given as msat', () => {
    expect(currencyRateText(usd([rate]), TS + 1, null)).toBe('50000.00');
    expect(currencyRateText(usd([rate]), TS + 1, 100_000_000_000n)).toBe('50000.00');
  });

  it('converts fractions of a BTC down to the cent', () => {
    expect(currencyRateText(usd([rate]), TS + 1, 1_000_000_000n)).toBe('500.00');
    expect(currencyRateText(usd([rate]), TS + 1, 100_000n)).toBe('0.05');
  });

  it('still converts where the product leaves 64 bits', () => {
    expect(currencyRateText(usd([rate]), TS + 1, 2000n * 100_000_000_000n)).toBe('100000000.00');
    const big: ReportCurrency = { name: 'BIG', minorUnit: 0, rates: [{ timestamp: TS, rawRate: 5_000_000_000_000n, durationSeconds: 3600 }] };
    expect(currencyRateText(big, TS + 1, 20_000_000n)).toBe('1000000000');
  });

  it('uses the latest rate recorded at or before the time', () => {
    const later = { timestamp: TS + 10, rawRate: 6_000_000n, durationSeconds: 3600 };
    expect(currencyRateText(usd([later, rate]), TS + 9, null)).toBe('50000.00');
    expect(currencyRateText(usd([later, rate]), TS + 10, null)).toBe('60000.00');
  });
});

describe('bkpr-report over books', () => {
  const T = 1_700_000_000; // 2023-11-14 22:13:20 UTC
  const [D1, W, F] = [tx('1'), tx('9'), tx('f')];
  const P1 = tx('a');
  const P2 = tx('b');
  const facts: Fact[] = [
    chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${D1}:0`, creditMsat: 1_111_111_000n, outputMsat: 1_111_111_000n, timestamp: T }),
    chainFact({ account: 'chan', tag: 'channel_open', outpoint: `${F}:0`, outputMsat: 1_000_000_000n, peerId: '03' + '22'.repeat(32), timestamp: T + 10 }),
    chainFact({ account: 'external', tag: 'deposit', outpoint: `${W}:0`, creditMsat: 555_555_000n, outputMsat: 555_555_000n, originAccount: 'wallet', blockheight: 0, timestamp: T + 100 }),
    channelFact({ account: 'chan', tag: 'invoice', creditMsat: 50_000_000n, paymentId: P1, description: 'lunch', timestamp: T + 150 }),
    chainFact({ account: 'wallet', tag: 'withdrawal', outpoint: `${D1}:0`, debitMsat: 1_111_111_000n, outputMsat: 1_111_111_000n, spendingTxid: W, blockheight: 102, timestamp: T + 200 }),
    chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${W}:1`, creditMsat: 555_415_000n, outputMsat: 555_415_000n, blockheight: 102, timestamp: T + 200 }),
    channelFact({ account: 'chan', tag: 'invoice', debitMsat: 10_000_123n, feesMsat: 123n, paymentId: P2, description: 'coffee, "large"', timestamp: T + 300 }),
  ];
  const books = keepBooks(facts);
  const report = (params: Parameters<typeof bkprReport>[1]) => {
    const answer = bkprReport(books, params);
    if (!answer.ok) throw new Error(answer.message);
    return answer.value;
  };

  it("prints CLN's documented CSV example line by line (no currency configured)", () => {
    const format =
      '{utctime},{tag},{account},{description?Invoice description {description}:{outpoint?Onchain output {outpoint}:{txid?Onchain transaction {txid}}}},' +
      '{credit?+{credit}:0},{debit?-{debit}:0},{currencyrate},${currencycredit},${currencydebit}';
    expect(report({ format, escape: 'csv', headers: ['Date,Tag,Account,Description,Credit,Debit,BTC/USD,Credit (USD),Debit(USD)'] })).toEqual({
      report: [
        'Date,Tag,Account,Description,Credit,Debit,BTC/USD,Credit (USD),Debit(USD)',
        `2023-11-14 22:13:20,deposit,wallet,Onchain output ${D1}:0,+0.01111111000,0,,$,$`,
        `2023-11-14 22:15:00,withdrawal,wallet,Onchain output ${W}:0,0,-0.00555555000,,$,$`,
        '2023-11-14 22:15:50,invoice,chan,Invoice description lunch,+0.00050000000,0,,$,$',
        `2023-11-14 22:16:40,onchain_fee,wallet,Onchain transaction ${W},0,-0.00000141000,,$,$`,
        '2023-11-14 22:18:20,invoice,chan,Invoice description "coffee, ""large""",0,-0.00010000000,,$,$',
        '2023-11-14 22:18:20,invoice_fee,chan,Invoice description "coffee, ""large""",0,-0.00000000123,,$,$',
      ],
      'format-hint': 'simple',
    });
  });

  it('prints one line per income row of the consolidated statement, headers first, nothing escaped by default', () => {
    const all = incomeStatement(books, { consolidateFees: true, startTime: 0, endTime: Number.MAX_SAFE_INTEGER });
    const lines = report({ format: '{tag} {description}', headers: ['a,b', 'c'] }).report;
    expect(lines).toEqual(['a,b', 'c', ...all.map((r) => `${r.tag} ${r.description ?? ''}`)]);
    expect(lines.at(-1)).toBe('invoice_fee coffee, "large"');
    expect(report({ format: 'x' }).report).toHaveLength(all.length);
  });

  it('keeps the window start < t ≤ end', () => {
    expect(report({ format: '{tag}', start_time: T + 150, end_time: T + 300 }).report).toEqual(['onchain_fee', 'invoice', 'invoice_fee']);
    expect(report({ format: '{tag}', start_time: T + 300 }).report).toEqual([]);
  });

  it('splits into windows that add up to the whole: a fee counts in the window of its deltas only', () => {
    const whole = report({ format: '{utctime} {tag} {creditdebit}' }).report;
    const before = report({ format: '{utctime} {tag} {creditdebit}', end_time: T + 250 }).report;
    const after = report({ format: '{utctime} {tag} {creditdebit}', start_time: T + 250 }).report;
    expect([...before, ...after]).toEqual(whole);
    // listincome of the reference version would count the fee in the later window too.
    expect(incomeStatement(books, { consolidateFees: true, startTime: T + 250, endTime: Number.MAX_SAFE_INTEGER }).map((r) => r.tag)).toContain('onchain_fee');
  });

  it('answers a bad format or escape as CLN does: −32602 and its reason', () => {
    expect(bkprReport(books, { format: '{nope}' })).toEqual({ ok: false, code: -32602, message: 'format: Unknown tag nope: invalid token (see logs for details)' });
    expect(bkprReport(books, { format: '{txid' })).toEqual({ ok: false, code: -32602, message: 'format: Unterminated tag txid: invalid token (see logs for details)' });
    expect(bkprReport(books, { format: '{txid', escape: 'tsv' as never }).ok).toBe(false);
    expect(bkprReport(books, { format: 'x', escape: 'tsv' as never })).toEqual({ ok: false, code: -32602, message: 'escape: should be `csv` or `none`: invalid token (see logs for details)' });
  });

  it('accepts a format parsed beforehand', () => {
    expect(bkprReport(books, { format: parseReportFormat('{account}'), end_time: T })).toEqual({ ok: true, value: { report: ['wallet'], 'format-hint': 'simple' } });
  });
});

describe('consolidated fees of a report', () => {
  const T = 1_700_000_000;
  const books = keepBooks([chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${tx('1')}:0`, creditMsat: 1_000n, outputMsat: 1_000n, timestamp: T })]);
  let order = 100;
  const fee = (account: string, accountId: number, txid: string, net: bigint, timestamp: number): FeeRow => ({
    kind: 'fee', order: order++, account, accountId, txid, creditMsat: net > 0n ? net : 0n, debitMsat: net < 0n ? -net : 0n, timestamp, coinType: 'bcrt', updateCount: 1,
  });
  // Shown as 2… but stored (reversed) as 00…: sorts before 1…ff.
  const early = tx('2').slice(0, 62) + '00';
  const late = tx('1').slice(0, 62) + 'ff';
  const withFees = (rows: FeeRow[]): Books => {
    const accounts: Account[] = [];
    for (const r of rows) accounts[r.accountId] = { ...books.accounts[0]!, id: r.accountId, name: r.account };
    const feeRows = new FeeRowList(accounts, new HexIds());
    for (const r of rows) feeRows.push(r.order, r);
    return { ...books, feeRows };
  };
  const lines = (b: Books, startTime = 0, endTime = Number.MAX_SAFE_INTEGER) =>
    reportIncomeRows(b, { startTime, endTime }).map((r) => [r.account, r.tag, r.txid?.slice(0, 1) ?? null, r.creditMsat, r.debitMsat, r.timestamp]);

  it('sums the deltas inside the window per txid and account, dated at the latest of them', () => {
    const b = withFees([fee('wallet', 0, late, 700n, T + 10), fee('wallet', 0, late, -200n, T + 20), fee('wallet', 0, late, 50n, T + 30)]);
    expect(lines(b)).toEqual([
      ['wallet', 'deposit', null, 1_000n, 0n, T],
      ['wallet', 'onchain_fee', '1', 0n, 550n, T + 30],
    ]);
    expect(lines(b, T + 15, T + 25).map((l) => l.slice(1))).toEqual([['onchain_fee', '1', 200n, 0n, T + 20]]);
    expect(lines(b, T + 25).map((l) => l.slice(1))).toEqual([['onchain_fee', '1', 0n, 50n, T + 30]]);
  });

  it('orders fees by stored txid, then account name, and merges them by their heads', () => {
    const b = withFees([fee('wallet', 0, late, 5n, T + 1), fee('zeta', 1, early, 7n, T + 50), fee('alpha', 2, early, 3n, T + 60), fee('wallet', 0, early, -3n, T + 2), fee('wallet', 0, early, 3n, T + 3)]);
    expect(lines(b).map((l) => [l[0], l[2], l[5]])).toEqual([
      ['wallet', null, T],
      ['alpha', '2', T + 60],
      ['zeta', '2', T + 50],
      ['wallet', '1', T + 1],
    ]);
  });
});
