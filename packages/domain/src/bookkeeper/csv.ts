import type { IncomeRow } from './income.js';

/** CLN's formats, written byte for byte as its bookkeeper does. */
export const CSV_FORMATS = ['cointracker', 'koinly', 'harmony', 'quickbooks'] as const;
/**
 * Ours: where CLN's output deviates from what the importer documents — CoinTracker has no
 * Account column; QuickBooks (US) reads MM/DD/YYYY and needs the description quoted as a
 * whole CSV field.
 */
export const STRICT_CSV_FORMATS = ['cointracker-strict', 'quickbooks-strict'] as const;
export type CsvFormat = (typeof CSV_FORMATS)[number] | (typeof STRICT_CSV_FORMATS)[number];

export function isCsvFormat(name: string): name is CsvFormat {
  return (CSV_FORMATS as readonly string[]).includes(name) || (STRICT_CSV_FORMATS as readonly string[]).includes(name);
}

const MSAT_PER_BTC = 100_000_000_000n;

/** msat as BTC with 11 decimals, as CLN writes it: `0.00000025000`. */
export function btcAmount(msat: bigint): string {
  return `${msat / MSAT_PER_BTC}.${(msat % MSAT_PER_BTC).toString().padStart(11, '0')}`;
}

const asset = (currency: string) => (currency === 'bc' ? 'btc' : currency);
const pad = (n: number) => String(n).padStart(2, '0');

function utc(timestamp: number) {
  const d = new Date(timestamp * 1000);
  return { y: d.getUTCFullYear(), mo: pad(d.getUTCMonth() + 1), d: pad(d.getUTCDate()), h: pad(d.getUTCHours()), mi: pad(d.getUTCMinutes()), s: pad(d.getUTCSeconds()) };
}

/**
 * Text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or CR first) gets a
 * leading `'`: in our strict formats only, which are made for spreadsheets and importers. CLN's
 * four formats stay byte for byte what its bookkeeper writes, which guards nothing.
 */
function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Text csvDescription changes: with `"`, `\\` or a control character. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NEEDS_ESCAPE = /["\\\x00-\x1f\x7f]/;

/** A description as CLN puts it in a CSV: `"` → `'`, JSON escapes, wrapped in quotes. */
export function csvDescription(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return `"${text}"`;
  let out = '';
  for (const ch of text.replaceAll('"', "'")) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return `"${out}"`;
}

const when = (condition: boolean, ...cells: string[]) => (condition ? cells : cells.map(() => ''));

function cointracker(r: IncomeRow): string[] | null {
  if (r.tag === 'invoice_fee') return null;
  const t = utc(r.timestamp);
  const a = asset(r.currency);
  const tag = r.debitMsat !== 0n && r.tag === 'penalty' ? 'lost' : r.tag === 'invoice' || r.tag === 'routed' ? 'payment' : '';
  return [
    `${t.mo}/${t.d}/${t.y} ${t.h}:${t.mi}:${t.s}`,
    ...when(r.creditMsat !== 0n, btcAmount(r.creditMsat), a),
    ...when(r.debitMsat !== 0n, btcAmount(r.debitMsat), a),
    ...when(r.feesMsat !== 0n && r.tag === 'invoice', btcAmount(r.feesMsat), a),
    tag,
    r.account,
  ];
}

/** An amount and its currency as two cells, or two empty cells for none. */
const amountCells = (msat: bigint, asset: string) => (msat !== 0n ? `${btcAmount(msat)},${asset}` : ',');

/** Koinly's row as one line of text (the biggest export: made without an array of cells). */
function koinly(r: IncomeRow): string | null {
  if (r.tag === 'invoice_fee') return null;
  const a = asset(r.currency);
  const fee = r.tag === 'invoice' ? amountCells(r.feesMsat, a) : ',';
  const description = r.description !== null ? csvDescription(r.description) : '';
  return `${koinlyDate(r.timestamp)},${amountCells(r.debitMsat, a)},${amountCells(r.creditMsat, a)},${fee},${r.tag},${description},${r.txid ?? r.paymentId ?? r.outpoint ?? ''}`;
}

/** The minute last written by koinlyDate (rows come by time: mostly the same minute or day as the one before). */
let lastMinute = NaN;
let lastMinuteText = '';
let lastDay = NaN;
let lastDayText = '';

/** The latest time a Date holds (8.64e15 ms), in seconds. */
const MAX_DATE_SECONDS = 8.64e12;

/** `2024-01-31 23:59 UTC`, made from the day's text when the day is the one before's. */
function koinlyDate(timestamp: number): string {
  if (!Number.isInteger(timestamp) || Math.abs(timestamp) > MAX_DATE_SECONDS) {
    const t = utc(timestamp);
    return `${t.y}-${t.mo}-${t.d} ${t.h}:${t.mi} UTC`;
  }
  const minute = Math.floor(timestamp / 60);
  if (minute === lastMinute) return lastMinuteText;
  const day = Math.floor(minute / 1440);
  if (day !== lastDay) {
    const t = utc(timestamp);
    lastDay = day;
    lastDayText = `${t.y}-${t.mo}-${t.d} `;
  }
  const minuteOfDay = minute - day * 1440;
  lastMinute = minute;
  lastMinuteText = `${lastDayText}${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)} UTC`;
  return lastMinuteText;
}

function harmonyType(r: IncomeRow): string {
  if (r.tag === 'onchain_fee') return 'fee:network';
  if (r.creditMsat !== 0n) return r.account === 'wallet' ? `transfer:${r.tag}` : `income:${r.tag}`;
  if (r.tag === 'penalty') return 'loss:penalty';
  return r.account === 'wallet' ? `transfer:${r.tag}` : `expense:${r.tag}`;
}

function harmony(r: IncomeRow): string[] {
  const t = utc(r.timestamp);
  return [
    `${t.y}-${t.mo}-${t.d}T${t.h}:${t.mi}:${t.s}Z`,
    'cln',
    harmonyType(r),
    r.debitMsat !== 0n ? `-${btcAmount(r.debitMsat)}` : r.creditMsat !== 0n ? btcAmount(r.creditMsat) : '0',
    asset(r.currency),
    r.txid ?? r.paymentId ?? r.outpoint ?? '',
    r.paymentId ?? '',
    r.account,
    r.outpoint ?? '',
    r.description !== null ? csvDescription(r.description) : '',
  ];
}

function quickbooks(r: IncomeRow): string[] {
  const t = utc(r.timestamp);
  return [
    `${t.d}/${t.mo}/${t.y}`,
    `${r.tag} (${r.account}) ${r.currency}: ${r.description !== null ? csvDescription(r.description) : 'no desc'}`,
    r.creditMsat !== 0n ? btcAmount(r.creditMsat) : '',
    r.debitMsat !== 0n ? btcAmount(r.debitMsat) : '',
  ];
}

function cointrackerStrict(r: IncomeRow): string[] | null {
  return cointracker(r)?.slice(0, -1) ?? null;
}

/** One CSV field as RFC 4180 quotes it, formula-looking text neutralized. */
function quotedField(text: string): string {
  return `"${neutralizeFormula(text).replaceAll('"', '""')}"`;
}

function quickbooksStrict(r: IncomeRow): string[] {
  const t = utc(r.timestamp);
  return [
    `${t.mo}/${t.d}/${t.y}`,
    quotedField(`${r.tag} (${r.account}) ${r.currency}: ${r.description ?? 'no desc'}`),
    r.creditMsat !== 0n ? btcAmount(r.creditMsat) : '',
    r.debitMsat !== 0n ? btcAmount(r.debitMsat) : '',
  ];
}

const HEADERS: Record<CsvFormat, string> = {
  'cointracker-strict': 'Date,Received Quantity,Received Currency,Sent Quantity,Sent Currency,Fee Amount,Fee Currency,Tag',
  'quickbooks-strict': 'Date,Description,Credit,Debit',
  cointracker: 'Date,Received Quantity,Received Currency,Sent Quantity,Sent Currency,Fee Amount,Fee Currency,Tag,Account',
  koinly: 'Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Label,Description,TxHash',
  harmony: 'HarmonyCSV v0.2,,,,,,,,,\nProvenance,cln-bookkeeper,,,,,,,,\n,,,,,,,,,\nTimestamp,Venue,Type,Amount,Asset,Transaction ID,Order ID,Account,Network ID,Note',
  quickbooks: 'Date,Description,Credit,Debit',
};

/** A format's cells joined into its line. */
const joined =
  (cellsOf: (r: IncomeRow) => string[] | null) =>
  (r: IncomeRow): string | null =>
    cellsOf(r)?.join(',') ?? null;

/** Each format's row as a line of text (null: no line). */
const LINES: Record<CsvFormat, (r: IncomeRow) => string | null> = {
  cointracker: joined(cointracker),
  koinly,
  harmony: joined(harmony),
  quickbooks: joined(quickbooks),
  'cointracker-strict': joined(cointrackerStrict),
  'quickbooks-strict': joined(quickbooksStrict),
};

/**
 * The income statement as CLN's `bkpr-dumpincomecsv` writes it, byte for byte: the header,
 * then each row preceded by a newline, no newline at the end.
 */
export function incomeCsv(format: CsvFormat, rows: Iterable<IncomeRow>): string {
  let out = '';
  for (const piece of incomeCsvPieces(format, rows)) out += piece;
  return out;
}

/** The same text in pieces (the header, then one piece per row), to stream a big statement. */
export function* incomeCsvPieces(format: CsvFormat, rows: Iterable<IncomeRow>): Generator<string> {
  yield HEADERS[format];
  const lineOf = LINES[format];
  for (const r of rows) {
    const line = lineOf(r);
    if (line !== null) yield `\n${line}`;
  }
}
