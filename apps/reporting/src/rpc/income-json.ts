import type { IncomeRow, IncomeStatement } from '@bkpr/domain';

/** A node's income statement, less the rows at `dropped` (internal transfers, organization-wide). */
export interface IncomePart {
  readonly nodeId: string;
  readonly rows: IncomeStatement;
  readonly dropped: ReadonlySet<number> | null;
}

/** Text per write: the answer goes out in Buffers of about this many bytes (see textChunks). */
const CHARS_PER_PIECE = 64 * 1024;

/**
 * A string JSON writes as it is, between quotes, and whose UTF-8 is its Latin-1: printable
 * ASCII but `"` and `\\`. Ids (hex) always are; anything else is escaped by JSON.stringify.
 */
const NOT_PLAIN = /[^\x20-\x7e]|["\\]/;

const isPlain = (s: string | null): boolean => s === null || !NOT_PLAIN.test(s);

/**
 * Texts written that are not plain ASCII, ever: a piece whose rows added none is ASCII, and
 * its UTF-8 is its Latin-1, which is quicker to write.
 */
let notPlainWritten = 0;

/** A string as JSON, noting when it is not plain. */
function quoted(s: string): string {
  if (!NOT_PLAIN.test(s)) return `"${s}"`;
  notPlainWritten++;
  return JSON.stringify(s);
}

/**
 * The text of a row up to its credit, `{"account":…,"tag":…,"credit_msat":`, and up to its
 * debit when the credit is 0, per account and tag (a few hundred per node); from the debit or
 * the currency to the timestamp likewise: made once, so a row is a few long strings, quicker
 * to join and to write (one of a row's amounts is almost always 0). Only for plain strings;
 * bounded (an organization with more distinct accounts makes the rest per row).
 */
interface RowStart {
  /** … up to the credit. */
  readonly start: string;
  /** … `"credit_msat":0,"debit_msat":`, up to the debit. */
  readonly startNoCredit: string;
}

const STARTS_KEPT = 65_536;
let startsKept = 0;
const starts = new Map<string, Map<string, RowStart>>();

function rowStart(account: string, tag: string): RowStart {
  let byTag = starts.get(account);
  const known = byTag?.get(tag);
  if (known !== undefined) return known;
  const start = `{"account":${quoted(account)},"tag":${quoted(tag)},"credit_msat":`;
  const made = { start, startNoCredit: `${start}0,"debit_msat":` };
  if (startsKept < STARTS_KEPT && isPlain(account) && isPlain(tag)) {
    if (byTag === undefined) starts.set(account, (byTag = new Map()));
    byTag.set(tag, made);
    startsKept++;
  }
  return made;
}

/** From after the credit or the debit to the timestamp, for a currency. */
interface RowMiddle {
  /** `,"currency":…,"timestamp":` */
  readonly currency: string;
  /** `,"debit_msat":0,"currency":…,"timestamp":` */
  readonly noDebitCurrency: string;
}

let lastCurrency: string | null = null;
let lastMiddle: RowMiddle = { currency: '', noDebitCurrency: '' };

/** A statement has one currency (its node's chain): the last one's text is kept. */
function rowMiddle(currency: string): RowMiddle {
  if (currency === lastCurrency) return lastMiddle;
  const text = `,"currency":${quoted(currency)},"timestamp":`;
  const middle = { currency: text, noDebitCurrency: `,"debit_msat":0${text}` };
  if (isPlain(currency)) {
    lastCurrency = currency;
    lastMiddle = middle;
  }
  return middle;
}

/**
 * Statements whose ids (outpoints, txids, payment ids) are all plain, found out once per
 * statement (a statement is made anew when its books change): their rows quote ids as they
 * are. Checking each id costs as much as the rest of the row, and ids are hex, which the
 * contracts check when facts come in.
 */
const plainIds = new WeakMap<IncomeStatement, boolean>();

function idsArePlain(rows: IncomeStatement): boolean {
  let plain = plainIds.get(rows);
  if (plain === undefined) {
    plain = true;
    for (let i = 0; i < rows.length && plain; i++) {
      const row = rows.at(i);
      plain = isPlain(row.outpoint) && isPlain(row.txid) && isPlain(row.paymentId);
    }
    plainIds.set(rows, plain);
  }
  return plain;
}

/** How each row of a node ends: `,"node_id":"…"}`. */
export function incomeRowEnd(nodeId: string): string {
  return `,"node_id":${JSON.stringify(nodeId)}}`;
}

/**
 * One listincome row as text, byte for byte what stringifyJson writes for incomeRowJson(row)
 * with `node_id` added (`end`, see incomeRowEnd): CLN's key order, msat as bare integers (a
 * bigint's decimal digits, exact at any size), the optional fields only when set, strings
 * escaped by JSON.stringify unless plain (ids are quoted as they are when `idsPlain`).
 * Built by hand because the generic path (an object per row, then JSON.stringify with a
 * replacer for bigints) costs ≈ 1 µs a row, which made an organization's statement too slow
 * to encode per call (786k rows at 1M facts), so it was kept as text (≈ 270 MiB).
 */
export function incomeRowText(row: IncomeRow, end: string, idsPlain = false): string {
  const id = idsPlain ? asIs : quoted;
  const start = rowStart(row.account, row.tag);
  const middle = rowMiddle(row.currency);
  const { creditMsat, debitMsat } = row;
  let text =
    creditMsat === 0n
      ? start.startNoCredit + debitMsat.toString() + middle.currency
      : debitMsat === 0n
        ? start.start + creditMsat.toString() + middle.noDebitCurrency
        : start.start + creditMsat.toString() + ',"debit_msat":' + debitMsat.toString() + middle.currency;
  text += number(row.timestamp);
  if (row.description !== null) text += `,"description":${quoted(row.description)}`;
  if (row.outpoint !== null) text += `,"outpoint":${id(row.outpoint)}`;
  if (row.txid !== null) text += `,"txid":${id(row.txid)}`;
  if (row.paymentId !== null) text += `,"payment_id":${id(row.paymentId)}`;
  return text + end;
}

const asIs = (s: string): string => `"${s}"`;

/** A number as JSON writes it (a timestamp is an integer; JSON has no NaN or Infinity). */
const number = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

/**
 * Rows `from` to `to` (positions among the rows not dropped) of `parts` in order, as listincome
 * writes them: the inside of its `income_events` array, in UTF-8 pieces of about 64 KiB,
 * encoded as they are asked for — the stream pulls the next piece when the client has taken
 * the last, so an answer of any size holds one piece at a time.
 */
export function* encodedIncomeRows(parts: readonly IncomePart[], from = 0, to = Number.MAX_SAFE_INTEGER): Generator<Uint8Array> {
  let text = '';
  let notPlainBefore = notPlainWritten;
  let position = 0;
  const piece = (): Uint8Array => {
    const ascii = notPlainWritten === notPlainBefore;
    const bytes = Buffer.from(text, ascii ? 'latin1' : 'utf8');
    text = '';
    notPlainBefore = notPlainWritten;
    return bytes;
  };
  for (const part of parts) {
    if (position >= to) break;
    const kept = part.rows.length - (part.dropped?.size ?? 0);
    if (position + kept <= from) {
      position += kept;
      continue;
    }
    const { rows, dropped } = part;
    const end = incomeRowEnd(part.nodeId);
    const endPlain = isPlain(part.nodeId);
    const idsPlain = idsArePlain(rows);
    for (let i = 0; i < rows.length && position < to; i++) {
      if (dropped !== null && dropped.has(i)) continue;
      if (position++ < from) continue;
      const row = incomeRowText(rows.at(i), end, idsPlain);
      if (!endPlain) notPlainWritten++;
      text += position - 1 === from ? row : `,${row}`;
      if (text.length >= CHARS_PER_PIECE) yield piece();
    }
  }
  if (text.length > 0) yield piece();
}

/** The rows of `parts` in order, each with its node. */
export function* incomeRowsOf(parts: readonly IncomePart[]): Generator<{ row: IncomeRow; nodeId: string }> {
  for (const part of parts) {
    for (let i = 0; i < part.rows.length; i++) if (!part.dropped?.has(i)) yield { row: part.rows.at(i), nodeId: part.nodeId };
  }
}
