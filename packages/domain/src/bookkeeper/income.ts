import { AmountColumn, withCapacity } from './columns.js';
import type { HexIds } from './hex-ids.js';
import { JsonBytes, utf8 } from './json-bytes.js';
import type { ChainEventList } from './chain-events.js';
import type { ChannelEventList } from './channel-events.js';
import type { FeeRows } from './fee-rows.js';
import type { Books, ChainEvent, FeeRow } from './state.js';

/** One row of `bkpr-listincome` (and of every CSV export). */
export interface IncomeRow {
  readonly account: string;
  readonly tag: string;
  readonly creditMsat: bigint;
  readonly debitMsat: bigint;
  readonly currency: string;
  readonly timestamp: number;
  readonly description: string | null;
  readonly outpoint: string | null;
  readonly txid: string | null;
  readonly paymentId: string | null;
  /** Fees paid with an invoice (shown inline by some CSV formats); not printed in JSON. */
  readonly feesMsat: bigint;
}

export interface IncomeOptions {
  readonly consolidateFees: boolean;
  /** Rows with start < timestamp ≤ end. */
  readonly startTime: number;
  readonly endTime: number;
}

const inWindow = (t: number, w: { startTime: number; endTime: number }) => t > w.startTime && t <= w.endTime;

/*
 * What a statement row is made from, its source: a chain or channel event, by index (a channel
 * event's index i as i, a chain event's as -1 - i), or for an on-chain fee row, the index of
 * its income row, kept made.
 */
const chainSource = (i: number) => -1 - i;

/** The node's events a statement's rows are made from. */
interface EventLists {
  readonly chainEvents: ChainEventList;
  readonly channelEvents: ChannelEventList;
}

/** How an income row is made from its source (see rowOf). */
const ROW = {
  /** The event's credit and debit. */
  asIs: 0,
  /** Credit and debit swapped: an anchor of a channel we opened. */
  swapped: 1,
  /** An HTLC fulfilled to `external`: swapped, on the account it came from. */
  fulfilledToExternal: 2,
  /** A confirmed send to `external`: a withdrawal from the account it came from. */
  withdrawal: 3,
  /** The credit only: a penalty adjustment. */
  credit: 4,
  /** A paid invoice: its debit less the fees it paid. */
  paidInvoice: 5,
  /** A routed payment: the fees it earned. */
  routed: 6,
  invoiceFee: 7,
  rebalanceFee: 8,
  /** The source is the row (on-chain fees). */
  made: 9,
} as const;

/**
 * An income statement, kept compactly: per row, the event it comes from and how it is made
 * from it (≈ 2.4 bytes a row — see RowSources — instead of a row object of ≈ 110), rows made
 * as they are read. The events' fields a row copies do not change once folded, but for a
 * description edit, which makes new books and so a new statement.
 */
export class IncomeStatement implements Iterable<IncomeRow> {
  /** Per row, how it is made (ROW) and, above LIST_SHIFT, which list its source is in. */
  private readonly kinds: Uint8Array;
  private readonly sources: RowSources | Int32Array;

  constructor(
    sources: Int32Array,
    /** Each row's kind, its list above LIST_SHIFT (mergedByHeads). */
    kinds: Uint8Array,
    /** The on-chain fee rows. */
    private readonly made: FeeIncomeRows,
    private readonly events: EventLists,
  ) {
    this.kinds = kinds;
    this.sources = RowSources.of(sources, kinds) ?? sources;
  }

  get length(): number {
    return this.kinds.length;
  }

  /** Row `i`'s source (see chainSource). */
  private sourceOf(i: number): number {
    const sources = this.sources;
    return sources instanceof Int32Array ? sources[i]! : sources.sourceOf(i);
  }

  at(i: number): IncomeRow {
    const kind = this.kinds[i]! & KIND_MASK;
    const source = this.sourceOf(i);
    return kind === ROW.made ? this.made.rowOf(source) : rowOf(source, kind, this.events);
  }

  *[Symbol.iterator](): Generator<IncomeRow> {
    for (let i = 0; i < this.kinds.length; i++) yield this.at(i);
  }

  /**
   * Row `i` as listincome's JSON, written into `out` (see writeIncomeRowJson; `end` closes it),
   * read from the events' columns: no row object, no string per id (ids are written from their
   * bytes), ≈ 5× quicker than making the row and writing it.
   */
  writeRowJson(i: number, out: JsonBytes, end: Uint8Array): void {
    const kind = this.kinds[i]! & KIND_MASK;
    const source = this.sourceOf(i);
    if (kind === ROW.made) writeIncomeRowJson(this.made.rowOf(source), out, end);
    else if (source >= 0) writeChannelRowJson(this.events.channelEvents, source, kind, out, end);
    else writeChainRowJson(this.events.chainEvents, -1 - source, kind, out, end);
  }
}

/** A row's list — chain events (0), channel events (1), fee rows (2) — kept in its kind's byte from this bit on. */
const LIST_SHIFT = 4;
const KIND_MASK = (1 << LIST_SHIFT) - 1;
/** Rows per block of RowSources (a power of 2). */
const SOURCE_BLOCK_BITS = 5;
/** A step kept in RowSources' `outliers`. */
const OUTLYING_STEP = 0xff;

/**
 * The sources of a statement's rows as each row's step from the row before of the same list
 * (chain events, channel events, fee rows): a list's rows follow its events by time, which
 * come mostly in index order too, so the step is almost always 0 to 254 — one byte a row, and
 * the lists' last sources every 32 rows, instead of 4 bytes; any other step kept in a sparse
 * map (not made when over 1 row in 16 would need it). Rows read in order cost one step each
 * (the place last read is remembered); another row, up to 31. Exported for its tests.
 */
export class RowSources {
  /** Where the last read stopped: its row and the lists' last sources then. */
  private cursorRow = -1;
  private readonly cursor = new Int32Array(3);

  private constructor(
    private readonly kinds: Uint8Array,
    private readonly steps: Uint8Array,
    /** Per block, the lists' last sources before it (each list's index, chain events' as i, not -1 - i). */
    private readonly bases: Int32Array,
    private readonly outliers: ReadonlyMap<number, number>,
  ) {}

  /** The sources of rows listed in `kinds` (see IncomeStatement), kept as steps; null when too many steps would be outliers. */
  static of(sources: Int32Array, kinds: Uint8Array): RowSources | null {
    const steps = new Uint8Array(sources.length);
    const bases = new Int32Array(3 * ((sources.length >> SOURCE_BLOCK_BITS) + 1));
    const outliers = new Map<number, number>();
    const last = [0, 0, 0];
    for (let r = 0; r < sources.length; r++) {
      if ((r & ((1 << SOURCE_BLOCK_BITS) - 1)) === 0) bases.set(last, 3 * (r >> SOURCE_BLOCK_BITS));
      const list = kinds[r]! >> LIST_SHIFT;
      const source = list === 0 ? -1 - sources[r]! : sources[r]!;
      const step = source - last[list]!;
      if (step >= 0 && step < OUTLYING_STEP) steps[r] = step;
      else {
        steps[r] = OUTLYING_STEP;
        outliers.set(r, source);
        if (outliers.size > sources.length >> 4) return null;
      }
      last[list] = source;
    }
    return new RowSources(kinds, steps, bases, outliers);
  }

  /** Row `r`'s source as IncomeStatement keeps it (a chain event's as -1 - i). */
  sourceOf(r: number): number {
    const cursor = this.cursor;
    let k: number;
    if (r > this.cursorRow && r >> SOURCE_BLOCK_BITS === this.cursorRow >> SOURCE_BLOCK_BITS) k = this.cursorRow + 1;
    else {
      k = (r >> SOURCE_BLOCK_BITS) << SOURCE_BLOCK_BITS;
      const base = 3 * (r >> SOURCE_BLOCK_BITS);
      cursor[0] = this.bases[base]!;
      cursor[1] = this.bases[base + 1]!;
      cursor[2] = this.bases[base + 2]!;
    }
    let list = 0;
    for (; k <= r; k++) {
      list = this.kinds[k]! >> LIST_SHIFT;
      const step = this.steps[k]!;
      cursor[list] = step === OUTLYING_STEP ? this.outliers.get(k)! : cursor[list]! + step;
    }
    this.cursorRow = r;
    return list === 0 ? -1 - cursor[0]! : cursor[list]!;
  }
}

const memo = new WeakMap<object, { version: number; byOptions: Map<string, IncomeStatement> }>();

/** Statements remembered per books version: the forms (options) last asked for. */
const STATEMENTS_PER_BOOKS = 3;

/**
 * CLN's income statement: what each event means for income and expenses, in CLN's order.
 * Remembered per books version and options: asked again before new facts, it is not redone.
 */
export function incomeStatementOf(books: Books, options: IncomeOptions): IncomeStatement {
  let entry = memo.get(books.chainEvents);
  if (!entry || entry.version !== books.version) memo.set(books.chainEvents, (entry = { version: books.version, byOptions: new Map() }));
  const key = `${options.consolidateFees}|${options.startTime}|${options.endTime}`;
  let statement = entry.byOptions.get(key);
  if (statement) entry.byOptions.delete(key); // set again below: the most recently asked for goes last
  else {
    statement = computeIncomeStatement(books, options);
    if (entry.byOptions.size >= STATEMENTS_PER_BOOKS) entry.byOptions.delete(entry.byOptions.keys().next().value!);
  }
  entry.byOptions.set(key, statement);
  return statement;
}

/** The income statement's rows (see incomeStatementOf). */
export function incomeStatement(books: Books, options: IncomeOptions): IncomeRow[] {
  return [...incomeStatementOf(books, options)];
}

/** Rows of a statement to come, in their order: each one's time (to merge by), source and kind. */
class PendingRows {
  count = 0;
  sources = new Int32Array(0);
  kinds = new Uint8Array(0);

  /** `timeOf(source)`: the time of a row from `source` (its event's or fee row's, read when merging: not kept per row). */
  constructor(readonly timeOf: (source: number) => number) {}

  push(source: number, kind: number): void {
    const i = this.count++;
    if (i === this.kinds.length) {
      this.sources = withCapacity(this.sources, i + 1);
      this.kinds = withCapacity(this.kinds, i + 1);
    }
    this.sources[i] = source;
    this.kinds[i] = kind;
  }
}

function computeIncomeStatement(books: Books, options: IncomeOptions): IncomeStatement {
  const { chain, channel } = pendingOfEvents(books, options);
  const made = options.consolidateFees ? consolidatedFeeIncome(books.feeRows) : feeDeltaIncome(books.feeRows, options);
  const fees = new PendingRows((k) => made.timestampOf(k));
  for (let k = 0; k < made.length; k++) fees.push(k, ROW.made);
  const { sources, kinds } = mergedByHeads([chain, channel, fees]);
  return new IncomeStatement(sources, kinds, made, books);
}

/**
 * The three lists merged as `mergeByHeads` merges rows (chain, channel, fees: in that order,
 * their numbers in a row's kind byte): repeatedly the head with the lowest timestamp (0 counts
 * as unset and goes last), the first list at a tie.
 */
function mergedByHeads(lists: readonly PendingRows[]): { sources: Int32Array; kinds: Uint8Array } {
  const total = lists.reduce((n, l) => n + l.count, 0);
  const sources = new Int32Array(total);
  const kinds = new Uint8Array(total);
  const heads = lists.map(() => 0);
  const key = (list: PendingRows, at: number) => {
    if (at >= list.count) return Infinity;
    const t = list.timeOf(list.sources[at]!);
    return t === 0 ? Number.MAX_SAFE_INTEGER : t;
  };
  // Each head's key, read again only when its list moves on.
  const keys = lists.map((list) => key(list, 0));
  for (let out = 0; out < total; out++) {
    let best = 0;
    for (let l = 1; l < lists.length; l++) if (keys[l]! < keys[best]!) best = l;
    const list = lists[best]!;
    const at = heads[best]!++;
    sources[out] = list.sources[at]!;
    kinds[out] = list.kinds[at]! | (best << LIST_SHIFT);
    keys[best] = key(list, at + 1);
  }
  return { sources, kinds };
}

/** The rows to come of the chain and channel events in the window, each list in CLN's order. */
function pendingOfEvents(books: Books, window: { startTime: number; endTime: number }): { chain: PendingRows; channel: PendingRows } {
  const kindOf = chainIncomeKindOf(books);
  const chainEvents = books.chainEvents;
  const chain = new PendingRows((source) => chainEvents.timestampOf(-1 - source));
  for (const i of chainEvents.indicesByTime()) {
    const timestamp = chainEvents.timestampOf(i);
    if (!inWindow(timestamp, window)) continue;
    const kind = kindOf(i);
    if (kind !== null) chain.push(chainSource(i), kind);
  }
  const events = books.channelEvents;
  const channel = new PendingRows((i) => events.timestampOf(i));
  for (const i of events.indicesByTime()) {
    const timestamp = events.timestampOf(i);
    if (inWindow(timestamp, window)) pushChannelIncome(channel, events, i);
  }
  return { chain, channel };
}

/** The income rows of the chain and channel events in the window, each list in CLN's order. */
export function incomeOfEvents(books: Books, window: { startTime: number; endTime: number }): { chainRows: IncomeRow[]; channelRows: IncomeRow[] } {
  const { chain, channel } = pendingOfEvents(books, window);
  const rows = (list: PendingRows) => Array.from({ length: list.count }, (_, i) => rowOf(list.sources[i]!, list.kinds[i]!, books));
  return { chainRows: rows(chain), channelRows: rows(channel) };
}

/** The income row of a chain event of `books` (null: none), as the income statement shows it. */
export function chainIncomeOf(books: Books): (e: ChainEvent) => IncomeRow | null {
  const kindOf = chainIncomeKindOf(books);
  return (e) => {
    const kind = kindOf(e.index);
    return kind === null ? null : chainRowOf(books.chainEvents, e.index, kind);
  };
}

/** The kind of income row of chain event `i` of `books` (null: none), read from its columns. */
function chainIncomeKindOf(books: Books): (i: number) => number | null {
  return (i) => chainIncomeKind(books, i);
}

/** An income row; every field spelled out, so all rows share one compact object shape. */
function incomeRow(
  account: string,
  tag: string,
  creditMsat: bigint,
  debitMsat: bigint,
  currency: string,
  timestamp: number,
  description: string | null,
  outpoint: string | null,
  txid: string | null,
  paymentId: string | null,
  feesMsat: bigint,
): IncomeRow {
  return { account, tag, creditMsat, debitMsat, currency, timestamp, description, outpoint, txid, paymentId, feesMsat };
}

/** The row of an event (its source, see chainSource) of kind `kind`. */
function rowOf(source: number, kind: number, events: EventLists): IncomeRow {
  return source >= 0 ? channelRowOf(events.channelEvents, source, kind) : chainRowOf(events.chainEvents, -1 - source, kind);
}

/*
 * What a row of kind `kind` takes from its event, as readChainRow and readChannelRow leave it
 * (the rows made and the rows written read it the same way; no object per row): its account
 * and tag, and which of the event's amounts its credit and debit are (see AMOUNT), read as
 * bigints for a row made, as numbers when exact for a row written (no bigint made).
 */
let rowAccount = '';
let rowTag = '';
let rowCredit = 0;
let rowDebit = 0;

/** An income row's credit or debit: … of its event. */
const AMOUNT = { zero: 0, credit: 1, debit: 2, fees: 3, debitLessFees: 4 } as const;

/** Chain event `i`'s account, tag and amounts in its income row of kind `kind`. */
function readChainRow(events: ChainEventList, i: number, kind: number): void {
  rowTag = events.tagOf(i);
  switch (kind) {
    case ROW.asIs:
    case ROW.swapped:
      rowAccount = events.accountOf(i);
      break;
    case ROW.fulfilledToExternal:
    case ROW.withdrawal:
      rowAccount = events.originAccountOf(i) ?? 'external';
      break;
    default:
      throw new Error(`chain income row kind ${kind} unknown`);
  }
  rowCredit = kind === ROW.asIs ? AMOUNT.credit : kind === ROW.withdrawal ? AMOUNT.zero : AMOUNT.debit;
  rowDebit = kind === ROW.asIs ? AMOUNT.debit : AMOUNT.credit;
  if (kind === ROW.withdrawal) rowTag = 'withdrawal';
}

/** Chain event `i`'s income row of kind `kind`. */
function chainRowOf(events: ChainEventList, i: number, kind: number): IncomeRow {
  readChainRow(events, i, kind);
  const credit = amountOf(events, i, rowCredit);
  const debit = amountOf(events, i, rowDebit);
  return incomeRow(rowAccount, rowTag, credit, debit, events.coinTypeOf(i), events.timestampOf(i), events.descriptionOf(i), events.outpointOf(i), events.spendingTxidOf(i), events.paymentIdOf(i), 0n);
}

/** Channel event `i`'s account, tag and amounts in its income row of kind `kind`. */
function readChannelRow(events: ChannelEventList, i: number, kind: number): void {
  rowAccount = events.accountOf(i);
  rowTag = events.tagOf(i);
  switch (kind) {
    case ROW.asIs:
      rowCredit = AMOUNT.credit;
      rowDebit = AMOUNT.debit;
      return;
    case ROW.credit:
      rowCredit = AMOUNT.credit;
      rowDebit = AMOUNT.zero;
      return;
    case ROW.paidInvoice:
      rowCredit = AMOUNT.credit;
      rowDebit = AMOUNT.debitLessFees;
      return;
    case ROW.routed:
      rowCredit = AMOUNT.fees;
      rowDebit = AMOUNT.zero;
      return;
    case ROW.invoiceFee:
    case ROW.rebalanceFee:
      rowTag = kind === ROW.rebalanceFee ? 'rebalance_fee' : 'invoice_fee';
      rowCredit = AMOUNT.zero;
      rowDebit = AMOUNT.fees;
      return;
    default:
      throw new Error(`channel income row kind ${kind} unknown`);
  }
}

/**
 * Event `i`'s amount that a row takes (AMOUNT), of either list: only channel events have fees,
 * and only channel rows take them.
 */
function amountOf(events: ChainEventList | ChannelEventList, i: number, amount: number): bigint {
  switch (amount) {
    case AMOUNT.credit:
      return events.creditOf(i);
    case AMOUNT.debit:
      return events.debitOf(i);
    case AMOUNT.fees:
      return (events as ChannelEventList).feesOf(i);
    case AMOUNT.debitLessFees:
      return events.debitOf(i) - (events as ChannelEventList).feesOf(i);
    default:
      return 0n;
  }
}

/** The amount as a number, or its bigint when a number would not be exact (or is negative). */
function amountToWrite(events: ChainEventList | ChannelEventList, i: number, amount: number): number | bigint {
  let n: number;
  switch (amount) {
    case AMOUNT.credit:
      n = events.creditNumberOf(i);
      break;
    case AMOUNT.debit:
      n = events.debitNumberOf(i);
      break;
    case AMOUNT.fees:
      n = (events as ChannelEventList).feesNumberOf(i);
      break;
    case AMOUNT.debitLessFees: {
      const debit = events.debitNumberOf(i);
      const fees = (events as ChannelEventList).feesNumberOf(i);
      n = debit >= 0 && fees >= 0 && debit >= fees ? debit - fees : -1;
      break;
    }
    default:
      n = 0;
  }
  return n >= 0 ? n : amountOf(events, i, amount);
}

/** Channel event `i`'s income row of kind `kind`, read field by field. */
function channelRowOf(events: ChannelEventList, i: number, kind: number): IncomeRow {
  readChannelRow(events, i, kind);
  const fees = kind === ROW.paidInvoice || kind === ROW.invoiceFee || kind === ROW.rebalanceFee ? events.feesOf(i) : 0n;
  const credit = amountOf(events, i, rowCredit);
  const debit = amountOf(events, i, rowDebit);
  return incomeRow(rowAccount, rowTag, credit, debit, events.coinTypeOf(i), events.timestampOf(i), events.descriptionOf(i), null, null, events.paymentIdOf(i), fees);
}

/*
 * A row as listincome's JSON: `{"account":…,"tag":…,"credit_msat":…,"debit_msat":…,
 * "currency":…,"timestamp":…` then the optional fields when set (description, outpoint, txid,
 * payment_id), then `end` (the caller's: `,"node_id":…}`) — CLN's key order, msat as bare
 * integers, byte for byte what JSON.stringify writes for incomeRowJson(row) (bigints as
 * integers). The text up to the credit, and from the debit to the timestamp, is the same for
 * many rows (a few hundred accounts and tags, one currency a node): made once, as bytes.
 */
/** What follows a start when the row has no credit: `0,"debit_msat":`. */
const NO_CREDIT = utf8('0,"debit_msat":');

/** Row starts kept (an organization with more distinct accounts and tags makes the rest per row). */
const STARTS_KEPT = 65_536;
let startsKept = 0;
/**
 * Each start kept, followed by NO_CREDIT: one view of one array of them all (a Uint8Array of
 * its own, two a start as before, cost ≈ 250 B of heap each beside its bytes: 6,500 starts at 1M).
 */
const starts = new Map<string, Map<string, Uint8Array>>();
let startBytes = new Uint8Array(64 * 1024);
let startBytesLength = 0;

/** The start found last (rows of an account and tag often come in runs). */
let lastAccount = '';
let lastTag = '';
let lastStart: Uint8Array | null = null;

/** `{"account":…,"tag":…,"credit_msat":` of the row, then NO_CREDIT when `noCredit`. */
function writeStart(out: JsonBytes, account: string, tag: string, noCredit: boolean): void {
  if (account !== lastAccount || tag !== lastTag || lastStart === null) {
    lastAccount = account;
    lastTag = tag;
    lastStart = startOf(account, tag);
  }
  out.raw(lastStart);
  if (!noCredit) out.length -= NO_CREDIT.length;
}

/** The start of (account, tag) and NO_CREDIT, kept now if new and more are kept. */
function startOf(account: string, tag: string): Uint8Array {
  let byTag = starts.get(account);
  const known = byTag?.get(tag);
  if (known !== undefined) return known;
  const made = utf8(`{"account":${JSON.stringify(account)},"tag":${JSON.stringify(tag)},"credit_msat":0,"debit_msat":`);
  if (startsKept === STARTS_KEPT) return made;
  const end = startBytesLength + made.length;
  // A bigger array for the starts to come; the views made stay on the one they were made on.
  if (end > startBytes.length) [startBytes, startBytesLength] = [new Uint8Array(Math.max(64 * 1024, made.length)), 0];
  startBytes.set(made, startBytesLength);
  const kept = startBytes.subarray(startBytesLength, startBytesLength + made.length);
  startBytesLength += made.length;
  startsKept++;
  if (byTag === undefined) starts.set(account, (byTag = new Map()));
  byTag.set(tag, kept);
  return kept;
}

interface RowMiddle {
  /** `,"currency":…,"timestamp":` */
  readonly currency: Uint8Array;
  /** `,"debit_msat":0,"currency":…,"timestamp":` */
  readonly noDebitCurrency: Uint8Array;
}

const MIDDLES_KEPT = 1_024;
const middles = new Map<string, RowMiddle>();

function rowMiddle(currency: string): RowMiddle {
  const known = middles.get(currency);
  if (known !== undefined) return known;
  const text = `,"currency":${JSON.stringify(currency)},"timestamp":`;
  const made = { currency: utf8(text), noDebitCurrency: utf8(`,"debit_msat":0${text}`) };
  if (middles.size < MIDDLES_KEPT) middles.set(currency, made);
  return made;
}

const DEBIT_KEY = utf8(',"debit_msat":');
const DESCRIPTION_KEY = utf8(',"description":');
const OUTPOINT_KEY = utf8(',"outpoint":');
const TXID_KEY = utf8(',"txid":');
const PAYMENT_ID_KEY = utf8(',"payment_id":');
const QUOTE = 34;
const COLON = 58;

/** A row's fields up to its timestamp and description (both amounts are written: a row's own). */
function writeRowHead(out: JsonBytes, account: string, tag: string, credit: number | bigint, debit: number | bigint, currency: string, timestamp: number, description: string | null): void {
  const middle = rowMiddle(currency);
  if (credit === 0 || credit === 0n) {
    writeStart(out, account, tag, true);
    writeAmount(out, debit);
    out.raw(middle.currency);
  } else if (debit === 0 || debit === 0n) {
    writeStart(out, account, tag, false);
    writeAmount(out, credit);
    out.raw(middle.noDebitCurrency);
  } else {
    writeStart(out, account, tag, false);
    writeAmount(out, credit);
    out.raw(DEBIT_KEY);
    writeAmount(out, debit);
    out.raw(middle.currency);
  }
  out.number(timestamp);
  if (description !== null) {
    out.raw(DESCRIPTION_KEY);
    out.string(description);
  }
}

/** An amount read as a number (exact, ≥ 0) or a bigint. */
function writeAmount(out: JsonBytes, amount: number | bigint): void {
  if (typeof amount === 'number') out.wholeNumber(amount);
  else out.amount(amount);
}

/** Id `id` of `table` as a JSON string: its hex digits from its bytes, or its text. */
function writeId(out: JsonBytes, table: HexIds, id: number): void {
  out.room(66);
  const end = table.writeHex(id, out.view, out.length + 1);
  if (end < 0) return out.string(table.textOf(id));
  const bytes = out.bytes;
  bytes[out.length] = QUOTE;
  bytes[end] = QUOTE;
  out.length = end + 1;
}

/** A row (made: a fee row; or any, for tests) as listincome's JSON (see writeRowHead), then `end`. */
export function writeIncomeRowJson(row: IncomeRow, out: JsonBytes, end: Uint8Array): void {
  writeRowHead(out, row.account, row.tag, row.creditMsat, row.debitMsat, row.currency, row.timestamp, row.description);
  if (row.outpoint !== null) {
    out.raw(OUTPOINT_KEY);
    out.string(row.outpoint);
  }
  if (row.txid !== null) {
    out.raw(TXID_KEY);
    out.string(row.txid);
  }
  if (row.paymentId !== null) {
    out.raw(PAYMENT_ID_KEY);
    out.string(row.paymentId);
  }
  out.raw(end);
}

function writeChainRowJson(events: ChainEventList, i: number, kind: number, out: JsonBytes, end: Uint8Array): void {
  readChainRow(events, i, kind);
  writeRowHead(out, rowAccount, rowTag, amountToWrite(events, i, rowCredit), amountToWrite(events, i, rowDebit), events.coinTypeOf(i), events.timestampOf(i), events.descriptionOf(i));
  out.raw(OUTPOINT_KEY);
  const txid = events.outpointTxidNumberOf(i);
  let at = -1;
  if (txid >= 0) {
    out.room(80);
    at = events.txidTable.writeHex(txid, out.view, out.length + 1);
  }
  if (at < 0) out.string(events.outpointOf(i));
  else {
    out.bytes[out.length] = QUOTE;
    out.bytes[at] = COLON;
    out.length = at + 1;
    out.wholeNumber(events.voutOf(i));
    out.byte(QUOTE);
  }
  const spending = events.spendingTxidNumberOf(i);
  if (spending >= 0) {
    out.raw(TXID_KEY);
    writeId(out, events.txidTable, spending);
  }
  const payment = events.paymentNumberOf(i);
  if (payment >= 0) {
    out.raw(PAYMENT_ID_KEY);
    writeId(out, events.paymentIdTable, payment);
  }
  out.raw(end);
}

function writeChannelRowJson(events: ChannelEventList, i: number, kind: number, out: JsonBytes, end: Uint8Array): void {
  readChannelRow(events, i, kind);
  writeRowHead(out, rowAccount, rowTag, amountToWrite(events, i, rowCredit), amountToWrite(events, i, rowDebit), events.coinTypeOf(i), events.timestampOf(i), events.descriptionOf(i));
  const payment = events.paymentNumberOf(i);
  if (payment >= 0) {
    out.raw(PAYMENT_ID_KEY);
    writeId(out, events.paymentIdTable, payment);
  }
  out.raw(end);
}

function chainIncomeKind(books: Books, i: number): number | null {
  const events = books.chainEvents;
  switch (events.tagOf(i)) {
    case 'htlc_fulfill':
      return events.accountOf(i) === 'external' ? ROW.fulfilledToExternal : ROW.asIs;
    case 'anchor':
      return books.accounts[events.accountIdOf(i)]!.weOpened ? ROW.swapped : null;
    case 'deposit':
      if (events.accountOf(i) === 'external') return events.blockheightOf(i) === 0 ? null : ROW.withdrawal;
      // Coins from a transaction that spent one of our outputs are a move, not income.
      return events.isOutputTxSpentInto(i) ? null : ROW.asIs;
    default:
      return null;
  }
}

/** The income rows of channel event `i`, pushed onto `rows`. */
function pushChannelIncome(rows: PendingRows, events: ChannelEventList, i: number): void {
  const tag = events.tagOf(i);
  const credit = events.creditOf(i);
  const debit = events.debitOf(i);
  if (credit === 0n && debit === 0n) return;
  const rebalance = events.isRebalance(i);
  if (tag === 'penalty_adj') {
    if (credit !== 0n) rows.push(i, ROW.credit);
  } else if (tag === 'invoice') {
    if (!rebalance) rows.push(i, debit !== 0n ? ROW.paidInvoice : ROW.asIs);
  } else if (tag === 'routed') {
    if (debit !== 0n) rows.push(i, ROW.routed);
  } else {
    rows.push(i, ROW.asIs);
  }
  if (tag === 'invoice' && debit !== 0n && events.feesOf(i) !== 0n) rows.push(i, rebalance ? ROW.rebalanceFee : ROW.invoiceFee);
}

function feeIncome(f: FeeRow, creditMsat: bigint, debitMsat: bigint, timestamp: number): IncomeRow {
  return { account: f.account, tag: 'onchain_fee', creditMsat, debitMsat, currency: f.coinType, timestamp, description: null, outpoint: null, txid: f.txid, paymentId: null, feesMsat: 0n };
}

/**
 * A statement's on-chain fee rows, kept as the fee row each is made from (its account, txid and
 * coin type: the books' fee rows are never changed) and, consolidated, its net and date — 4 to
 * 17 bytes a row instead of a row object of ≈ 150 with its bigint; rows made as they are read.
 */
class FeeIncomeRows {
  constructor(
    private readonly feeRows: FeeRows,
    /** Index in `feeRows` of each row's fee row (consolidated: the first of its account and txid). */
    private readonly from: Int32Array,
    /** Consolidated: each row's net as an amount (a refund's as its credit), and its latest date; null: each row is its fee row's delta. */
    private readonly nets: { readonly amounts: AmountColumn; readonly refunds: Uint8Array; readonly timestamps: Float64Array } | null,
  ) {}

  get length(): number {
    return this.from.length;
  }

  timestampOf(k: number): number {
    return this.nets === null ? this.feeRows.timestampOf(this.from[k]!) : this.nets.timestamps[k]!;
  }

  rowOf(k: number): IncomeRow {
    const f = this.feeRows.at(this.from[k]!);
    const nets = this.nets;
    // A delta: a fee increase is an expense (debit).
    if (nets === null) return feeIncome(f, f.debitMsat, f.creditMsat, f.timestamp);
    const net = nets.amounts.get(k);
    return nets.refunds[k] === 1 ? feeIncome(f, net, 0n, nets.timestamps[k]!) : feeIncome(f, 0n, net, nets.timestamps[k]!);
  }
}

/** Every fee delta in the window, as income, by date (then account, txid as stored, update). */
function feeDeltaIncome(rows: FeeRows, options: IncomeOptions): FeeIncomeRows {
  const indices: number[] = [];
  for (let i = 0; i < rows.length; i++) if (inWindow(rows.timestampOf(i), options)) indices.push(i);
  indices.sort((x, y) => rows.timestampOf(x) - rows.timestampOf(y) || rows.accountIdOf(x) - rows.accountIdOf(y) || rows.compareTxidsAsStored(x, y) || rows.updateCountOf(x) - rows.updateCountOf(y));
  return new FeeIncomeRows(rows, Int32Array.from(indices), null);
}

/** consolidatedFees' rows (accounts by creation) as FeeIncomeRows. */
function consolidatedFeeIncome(rows: FeeRows): FeeIncomeRows {
  const groups = netFees(rows, (x, y) => rows.accountIdOf(x) - rows.accountIdOf(y));
  const amounts = new AmountColumn();
  amounts.grow(groups.length);
  const refunds = new Uint8Array(groups.length);
  const timestamps = new Float64Array(groups.length);
  groups.forEach((g, k) => {
    amounts.set(k, g.net > 0n ? g.net : -g.net);
    refunds[k] = g.net > 0n ? 0 : 1;
    timestamps[k] = g.latest;
  });
  return new FeeIncomeRows(rows, Int32Array.from(groups, (g) => g.first), { amounts, refunds, timestamps });
}

/** The net fee (≠ 0) of each (account, txid) of `rows`, with its first fee row's index and latest date, in consolidatedFees' order. */
function netFees(rows: FeeRows, byAccount: (x: number, y: number) => number): { first: number; net: bigint; latest: number }[] {
  // By (account, txid number): one number, exact while account ids stay below 2^21 (2^53 / 2^32).
  const groups = new Map<number, { first: number; net: bigint; latest: number }>();
  for (let i = 0; i < rows.length; i++) {
    const accountId = rows.accountIdOf(i);
    if (accountId >= 2 ** 21) throw new Error(`fee row ${i}: account id ${accountId} beyond 2^21`);
    const key = accountId * 2 ** 32 + rows.txidNumberOf(i);
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = { first: i, net: 0n, latest: 0 }));
    group.net += rows.netOf(i);
    group.latest = Math.max(group.latest, rows.timestampOf(i));
  }
  return [...groups.values()].filter((g) => g.net !== 0n).sort((a, b) => rows.compareTxidsAsStored(a.first, b.first) || byAccount(a.first, b.first));
}

/**
 * One net fee per (account, txid) of `rows`, dated at its latest delta, in CLN's order: txid
 * as stored, then account (by creation, as the reference version; by name, as newer CLN). A
 * net fee is an expense (debit); a net refund, a credit. For listincome all deltas count,
 * whatever the time window, as in CLN's bookkeeper of the reference version.
 */
export function consolidatedFees(rows: FeeRows, byAccount: (x: number, y: number) => number): IncomeRow[] {
  return netFees(rows, byAccount).map((g) => (g.net > 0n ? feeIncome(rows.at(g.first), 0n, g.net, g.latest) : feeIncome(rows.at(g.first), -g.net, 0n, g.latest)));
}
