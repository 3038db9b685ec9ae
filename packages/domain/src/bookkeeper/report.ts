import { btcAmount } from './csv.js';
import { consolidatedFees, incomeOfEvents, type IncomeRow } from './income.js';
import { mergeByHeads } from './merge.js';
import { RPC_INVALID_PARAMS, type QueryResult } from './queries.js';
import type { Books } from './state.js';

/*
 * CLN's `bkpr-report` (newer CLN, v26.04): one line of text per income row, made from a format
 * string. The language, as CLN parses it:
 *   - `{name}` is replaced by a field of the row (names below, exact and case-sensitive);
 *   - `{name?A:B}` gives A when the field is set, else B; `{name?A}` and `{name:B}` leave one
 *     out (nothing is printed for the missing one). A and B are formats themselves. Inside A a
 *     `:` ends A; inside B only `}` ends it;
 *   - amounts (credit, debit, fees, creditdebit) count as unset when zero, but only where a
 *     `?` or `:` asks; plain `{credit}` prints `0`;
 *   - `{{` is a literal `{`; a `}`, `?` or `:` outside a tag is plain text.
 */

/** The fields a format may name, in CLN's order. */
export const REPORT_FIELDS = [
  'account',
  'tag',
  'description',
  'credit',
  'debit',
  'fees',
  'localtime',
  'utctime',
  'outpoint',
  'txid',
  'payment_id',
  'bkpr-currency',
  'currencyrate',
  'creditdebit',
  'currencycredit',
  'currencydebit',
  'currencycreditdebit',
] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

export type ReportPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'field'; readonly field: ReportField; readonly ifSet: ReportTemplate | null; readonly ifNotSet: ReportTemplate | null };
/** A parsed format: text and fields in order. */
export type ReportTemplate = readonly ReportPart[];

/** `none` copies field values as they are; `csv` quotes a value holding `,` `"` CR or LF. */
export const REPORT_ESCAPES = ['none', 'csv'] as const;
export type ReportEscape = (typeof REPORT_ESCAPES)[number];

/** A format CLN refuses; `message` is CLN's own wording ("Unknown tag nope", "Unterminated tag"). */
export class ReportFormatError extends Error {
  constructor(
    readonly kind: 'unknown_tag' | 'unterminated_tag',
    message: string,
  ) {
    super(message);
    this.name = 'ReportFormatError';
  }
}

/** How CLN ends a bad parameter's message (outside developer mode): `<param>: <reason>` + this. */
export const CLN_INVALID_TOKEN = ': invalid token (see logs for details)';

const isField = (name: string): name is ReportField => (REPORT_FIELDS as readonly string[]).includes(name);

/** Parses a `bkpr-report` format; throws a ReportFormatError where CLN refuses it. */
export function parseReportFormat(format: string): ReportTemplate {
  return parseSequence(format, { pos: 0 }, 'top');
}

/**
 * One sequence of text and fields, from `at.pos` to its end: the end of the string (top), a
 * `}` or `:` (a field's if-set part), or a `}` (its if-not-set part). Leaves `at.pos` on the
 * character that ended it.
 */
function parseSequence(format: string, at: { pos: number }, within: 'top' | 'ifSet' | 'ifNotSet'): ReportPart[] {
  const parts: ReportPart[] = [];
  let textFrom = at.pos;
  let p = at.pos;
  const flushText = (to: number, extra = '') => {
    if (to > textFrom || extra) parts.push({ kind: 'text', text: format.slice(textFrom, to) + extra });
  };
  for (;;) {
    if (p >= format.length) {
      if (within === 'top') break;
      throw new ReportFormatError('unterminated_tag', 'Unterminated tag');
    }
    const c = format[p];
    if (within !== 'top' && (c === '}' || (within === 'ifSet' && c === ':'))) break;
    if (c !== '{') {
      p++;
      continue;
    }
    if (format[p + 1] === '{') {
      // `{{`: the text so far and one `{` become a text part of their own, as CLN keeps them.
      flushText(p, '{');
      p += 2;
      textFrom = p;
      continue;
    }
    flushText(p);
    let nameEnd = p + 1;
    while (nameEnd < format.length && !'?:}'.includes(format[nameEnd]!)) nameEnd++;
    if (nameEnd >= format.length) throw new ReportFormatError('unterminated_tag', `Unterminated tag ${format.slice(p + 1)}`);
    const name = format.slice(p + 1, nameEnd);
    if (!isField(name)) throw new ReportFormatError('unknown_tag', `Unknown tag ${name}`);
    let ifSet: ReportTemplate | null = null;
    let ifNotSet: ReportTemplate | null = null;
    at.pos = nameEnd + 1;
    if (format[nameEnd] === '?') {
      ifSet = parseSequence(format, at, 'ifSet');
      if (format[at.pos] === ':') {
        at.pos++;
        ifNotSet = parseSequence(format, at, 'ifNotSet');
      }
      at.pos++; // the closing `}`
    } else if (format[nameEnd] === ':') {
      ifNotSet = parseSequence(format, at, 'ifNotSet');
      at.pos++;
    }
    parts.push({ kind: 'field', field: name, ifSet, ifNotSet });
    p = textFrom = at.pos;
  }
  flushText(p);
  at.pos = p;
  return parts;
}

/** A fiat currency and its rates, as `bkpr-currency` and the `currencyrate` plugin give CLN. */
export interface ReportCurrency {
  /** ISO 4217 code, e.g. `USD`. */
  readonly name: string;
  /** Its decimals, e.g. 2. */
  readonly minorUnit: number;
  /** Rates as recorded: the price of 1 BTC in minor units (cents), valid from `timestamp` for `durationSeconds`. */
  readonly rates: readonly { readonly timestamp: number; readonly rawRate: bigint; readonly durationSeconds: number }[];
}

const MSAT_PER_BTC = 100_000_000_000n;
const U64_MAX = (1n << 64n) - 1n;

/**
 * An amount (or 1 BTC when `msat` is null) in the currency at `timestamp`, as CLN writes it
 * (`50000.00`), or null without a rate covering that time: the latest rate recorded at or
 * before it, if still valid then.
 */
export function currencyRateText(currency: ReportCurrency, timestamp: number, msat: bigint | null): string | null {
  let covering: ReportCurrency['rates'][number] | null = null;
  for (const r of currency.rates) if (r.timestamp <= timestamp && (covering === null || r.timestamp > covering.timestamp)) covering = r;
  if (covering === null || covering.timestamp + covering.durationSeconds <= timestamp) return null;
  let raw = covering.rawRate;
  if (msat !== null) {
    const product = msat * covering.rawRate;
    // CLN falls back to floating point where the product would not fit 64 bits.
    raw = product <= U64_MAX ? product / MSAT_PER_BTC : BigInt(Math.trunc((Number(msat) * Number(covering.rawRate)) / Number(MSAT_PER_BTC)));
  }
  if (currency.minorUnit === 0) return raw.toString();
  const unit = 10n ** BigInt(currency.minorUnit);
  return `${raw / unit}.${(raw % unit).toString().padStart(currency.minorUnit, '0')}`;
}

/** A zero amount: prints `0`, but counts as unset where a `?` or `:` asks. */
const ZERO = Symbol('zero amount');
type FieldValue = string | null | typeof ZERO;

const amount = (msat: bigint): FieldValue => (msat === 0n ? ZERO : btcAmount(msat));
const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS` in UTC. */
function utcTime(timestamp: number): string {
  const d = new Date(timestamp * 1000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

function fieldValue(field: ReportField, r: IncomeRow, currency: ReportCurrency | null): FieldValue {
  const fiat = (msat: bigint | null) => (currency === null ? null : currencyRateText(currency, r.timestamp, msat));
  switch (field) {
    case 'account':
      return r.account;
    case 'tag':
      return r.tag;
    case 'description':
      return r.description;
    case 'credit':
      return amount(r.creditMsat);
    case 'debit':
      return amount(r.debitMsat);
    case 'fees':
      return amount(r.feesMsat);
    // CLN prints `localtime` in the plugin's own time zone. Ours is a shared service whose zone
    // is not the node's, so local time here is UTC: the same text as `utctime`.
    case 'localtime':
    case 'utctime':
      return utcTime(r.timestamp);
    case 'outpoint':
      return r.outpoint;
    case 'txid':
      return r.txid;
    case 'payment_id':
      return r.paymentId;
    case 'bkpr-currency':
      return currency?.name ?? null;
    case 'currencyrate':
      return fiat(null);
    case 'creditdebit':
      if (r.creditMsat !== 0n) return `+${btcAmount(r.creditMsat)}`;
      if (r.debitMsat !== 0n) return `-${btcAmount(r.debitMsat)}`;
      return ZERO;
    case 'currencycredit':
      return fiat(r.creditMsat);
    case 'currencydebit':
      return fiat(r.debitMsat);
    case 'currencycreditdebit': {
      // Unset without a rate; but a row with neither credit nor debit gives a `0` that, unlike
      // the other amounts' zero, counts as set for `?` and `:` (as in CLN).
      if (r.creditMsat !== 0n) return prefixed('+', fiat(r.creditMsat));
      if (r.debitMsat !== 0n) return prefixed('-', fiat(r.debitMsat));
      return '0';
    }
  }
}

const prefixed = (sign: string, text: string | null) => (text === null ? null : sign + text);

/** A field's value for `escape=csv`: quoted, with inner quotes doubled, when it holds `,` `"` CR or LF. */
export function escapeReportValue(value: string, escape: ReportEscape): string {
  if (escape === 'none' || !/[,"\r\n]/.test(value)) return value;
  return `"${value.replaceAll('"', '""')}"`;
}

/** One income row through a format. Text is never escaped; field values are, as `escape` says. */
export function renderReportRow(template: ReportTemplate, row: IncomeRow, escape: ReportEscape = 'none', currency: ReportCurrency | null = null): string {
  let out = '';
  for (const part of template) {
    if (part.kind === 'text') {
      out += part.text;
      continue;
    }
    let value = fieldValue(part.field, row, currency);
    if (value === ZERO && (part.ifSet !== null || part.ifNotSet !== null)) value = null;
    if (value !== null) {
      out += part.ifSet !== null ? renderReportRow(part.ifSet, row, escape, currency) : escapeReportValue(value === ZERO ? '0' : value, escape);
    } else if (part.ifNotSet !== null) {
      out += renderReportRow(part.ifNotSet, row, escape, currency);
    }
  }
  return out;
}


/**
 * The income rows `bkpr-report` prints: the income statement with fees consolidated, in the
 * window start < t ≤ end. As newer CLN does it (and unlike its `listincome` of the reference
 * version), a fee counts only its deltas inside the window, so the reports of (a, b] and
 * (b, c] together are the report of (a, c]. Consolidated fees come in CLN's newer order: txid
 * (as stored), then account name, each dated at its latest delta in the window.
 */
export function reportIncomeRows(books: Books, window: { startTime: number; endTime: number }): IncomeRow[] {
  const { chainRows, channelRows } = incomeOfEvents(books, window);
  const all = books.feeRows;
  const inWindow = all.where((i) => all.timestampOf(i) > window.startTime && all.timestampOf(i) <= window.endTime);
  const fees = consolidatedFees(inWindow, (x, y) => compareCodePoints(inWindow.accountOf(x), inWindow.accountOf(y)));
  return mergeByHeads(chainRows, channelRows, fees);
}

function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < x.length && i < y.length; i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export interface ReportParams {
  /** The format, as text or already parsed. */
  readonly format: string | ReportTemplate;
  /** Lines put first, as they are. */
  readonly headers?: readonly string[] | undefined;
  readonly escape?: ReportEscape | undefined;
  readonly start_time?: number | undefined;
  readonly end_time?: number | undefined;
}

export interface ReportResult {
  readonly report: string[];
  readonly 'format-hint': 'simple';
}

/** A bad `format` as CLN answers it: −32602 `format: Unknown tag nope: invalid token (see logs for details)`. */
export function parseReportParam(format: string | ReportTemplate): QueryResult<ReportTemplate> {
  if (typeof format !== 'string') return { ok: true, value: format };
  try {
    return { ok: true, value: parseReportFormat(format) };
  } catch (error) {
    if (error instanceof ReportFormatError) return { ok: false, code: RPC_INVALID_PARAMS, message: `format: ${error.message}${CLN_INVALID_TOKEN}` };
    throw error;
  }
}

/**
 * The report's lines for rows already chosen (see reportIncomeRows): the headers, then one
 * line per row.
 */
export function reportLines(template: ReportTemplate, rows: Iterable<IncomeRow>, options: { headers?: readonly string[] | undefined; escape?: ReportEscape | undefined; currency?: ReportCurrency | null } = {}): string[] {
  const lines = [...(options.headers ?? [])];
  for (const row of rows) lines.push(renderReportRow(template, row, options.escape ?? 'none', options.currency ?? null));
  return lines;
}

/**
 * `bkpr-report` over one node's books: `{report: [headers…, lines…], "format-hint": "simple"}`.
 * Without a currency (CLN's `bkpr-currency` unset, or no rate for the time) the currency
 * fields are unset.
 */
export function bkprReport(books: Books, params: ReportParams, currency: ReportCurrency | null = null): QueryResult<ReportResult> {
  const template = parseReportParam(params.format);
  if (!template.ok) return template;
  const escape = params.escape ?? 'none';
  if (!(REPORT_ESCAPES as readonly string[]).includes(escape)) return { ok: false, code: RPC_INVALID_PARAMS, message: `escape: should be \`csv\` or \`none\`${CLN_INVALID_TOKEN}` };
  const rows = reportIncomeRows(books, { startTime: params.start_time ?? 0, endTime: params.end_time ?? Number.MAX_SAFE_INTEGER });
  return { ok: true, value: { report: reportLines(template.value, rows, { headers: params.headers, escape, currency }), 'format-hint': 'simple' } };
}
