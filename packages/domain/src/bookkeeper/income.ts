import { withCapacity } from './columns.js';
import type { ChainEventList } from './chain-events.js';
import type { ChannelEventList } from './channel-events.js';
import type { Books, ChainEvent, FeeRow } from './state.js';
import { compareTxidsAsStored, txidOf } from './txid.js';

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
 * from it (5 bytes a row instead of a row object of ≈ 110), rows made as they are read. The
 * events' fields a row copies do not change once folded, but for a description edit, which
 * makes new books and so a new statement.
 */
export class IncomeStatement implements Iterable<IncomeRow> {
  constructor(
    private readonly sources: Int32Array,
    private readonly kinds: Uint8Array,
    /** The fee rows' income rows. */
    private readonly made: readonly IncomeRow[],
    private readonly events: EventLists,
  ) {}

  get length(): number {
    return this.kinds.length;
  }

  at(i: number): IncomeRow {
    const kind = this.kinds[i]!;
    return kind === ROW.made ? this.made[this.sources[i]!]! : rowOf(this.sources[i]!, kind, this.events);
  }

  *[Symbol.iterator](): Generator<IncomeRow> {
    for (let i = 0; i < this.kinds.length; i++) yield this.at(i);
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
  timestamps = new Float64Array(0);
  sources = new Int32Array(0);
  kinds = new Uint8Array(0);

  push(timestamp: number, source: number, kind: number): void {
    const i = this.count++;
    if (i === this.kinds.length) {
      this.timestamps = withCapacity(this.timestamps, i + 1);
      this.sources = withCapacity(this.sources, i + 1);
      this.kinds = withCapacity(this.kinds, i + 1);
    }
    this.timestamps[i] = timestamp;
    this.sources[i] = source;
    this.kinds[i] = kind;
  }
}

function computeIncomeStatement(books: Books, options: IncomeOptions): IncomeStatement {
  const { chain, channel } = pendingOfEvents(books, options);
  const made = options.consolidateFees ? consolidatedFees(books.feeRows, (a, b) => a.accountId - b.accountId) : feeDeltas(books.feeRows, options);
  const fees = new PendingRows();
  made.forEach((row, i) => fees.push(row.timestamp, i, ROW.made));
  const { sources, kinds } = mergedByHeads([chain, channel, fees]);
  return new IncomeStatement(sources, kinds, made, books);
}

/**
 * The three lists merged as `mergeByHeads` merges rows (chain, channel, fees): repeatedly the
 * head with the lowest timestamp (0 counts as unset and goes last), the first list at a tie.
 */
function mergedByHeads(lists: readonly PendingRows[]): { sources: Int32Array; kinds: Uint8Array } {
  const total = lists.reduce((n, l) => n + l.count, 0);
  const sources = new Int32Array(total);
  const kinds = new Uint8Array(total);
  const heads = lists.map(() => 0);
  const key = (list: PendingRows, at: number) => {
    if (at >= list.count) return Infinity;
    const t = list.timestamps[at]!;
    return t === 0 ? Number.MAX_SAFE_INTEGER : t;
  };
  for (let out = 0; out < total; out++) {
    let best = 0;
    let lowest = key(lists[0]!, heads[0]!);
    for (let l = 1; l < lists.length; l++) {
      const k = key(lists[l]!, heads[l]!);
      if (k < lowest) {
        lowest = k;
        best = l;
      }
    }
    const at = heads[best]!++;
    sources[out] = lists[best]!.sources[at]!;
    kinds[out] = lists[best]!.kinds[at]!;
  }
  return { sources, kinds };
}

/** The rows to come of the chain and channel events in the window, each list in CLN's order. */
function pendingOfEvents(books: Books, window: { startTime: number; endTime: number }): { chain: PendingRows; channel: PendingRows } {
  const kindOf = chainIncomeKindOf(books);
  const chain = new PendingRows();
  for (const e of sortedByTime(books.chainEvents)) {
    if (!inWindow(e.timestamp, window)) continue;
    const kind = kindOf(e);
    if (kind !== null) chain.push(e.timestamp, chainSource(e.index), kind);
  }
  const channel = new PendingRows();
  const events = books.channelEvents;
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
    const kind = kindOf(e);
    return kind === null ? null : chainRowOf(e, kind);
  };
}

function chainIncomeKindOf(books: Books): (e: ChainEvent) => number | null {
  const weOpened = new Map(books.accounts.map((a) => [a.name, a.weOpened]));
  const spentByUs = (txid: string) => books.index.isSpentInto(txid);
  return (e) => chainIncomeKind(e, spentByUs, weOpened);
}

function sortedByTime(events: ChainEventList): ChainEvent[] {
  return [...events].sort((a, b) => a.timestamp - b.timestamp || a.order - b.order);
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
  return source >= 0 ? channelRowOf(events.channelEvents, source, kind) : chainRowOf(events.chainEvents.at(-1 - source), kind);
}

/** A chain event's income row of kind `kind`. */
function chainRowOf(e: ChainEvent, kind: number): IncomeRow {
  const row = (account: string, tag: string, creditMsat: bigint, debitMsat: bigint) =>
    incomeRow(account, tag, creditMsat, debitMsat, e.coinType, e.timestamp, e.description, e.outpoint, e.spendingTxid, e.paymentId, 0n);
  const origin = () => e.originAccount ?? 'external';
  switch (kind) {
    case ROW.asIs:
      return row(e.account, e.tag, e.creditMsat, e.debitMsat);
    case ROW.swapped:
      return row(e.account, e.tag, e.debitMsat, e.creditMsat);
    case ROW.fulfilledToExternal:
      return row(origin(), e.tag, e.debitMsat, e.creditMsat);
    case ROW.withdrawal:
      return row(origin(), 'withdrawal', 0n, e.creditMsat);
    default:
      throw new Error(`chain income row kind ${kind} unknown`);
  }
}

/** Channel event `i`'s income row of kind `kind`, read field by field. */
function channelRowOf(events: ChannelEventList, i: number, kind: number): IncomeRow {
  const fees = events.feesOf(i);
  let tag = events.tagOf(i);
  let creditMsat: bigint;
  let debitMsat: bigint;
  let feesMsat = 0n;
  switch (kind) {
    case ROW.asIs:
      creditMsat = events.creditOf(i);
      debitMsat = events.debitOf(i);
      break;
    case ROW.credit:
      creditMsat = events.creditOf(i);
      debitMsat = 0n;
      break;
    case ROW.paidInvoice:
      creditMsat = events.creditOf(i);
      debitMsat = events.debitOf(i) - fees;
      feesMsat = fees;
      break;
    case ROW.routed:
      creditMsat = fees;
      debitMsat = 0n;
      break;
    case ROW.invoiceFee:
    case ROW.rebalanceFee:
      tag = kind === ROW.rebalanceFee ? 'rebalance_fee' : 'invoice_fee';
      creditMsat = 0n;
      debitMsat = fees;
      feesMsat = fees;
      break;
    default:
      throw new Error(`channel income row kind ${kind} unknown`);
  }
  return incomeRow(events.accountOf(i), tag, creditMsat, debitMsat, events.coinTypeOf(i), events.timestampOf(i), events.descriptionOf(i), null, null, events.paymentIdOf(i), feesMsat);
}

function chainIncomeKind(e: ChainEvent, spentByUs: (txid: string) => boolean, weOpened: ReadonlyMap<string, boolean>): number | null {
  switch (e.tag) {
    case 'htlc_fulfill':
      return e.account === 'external' ? ROW.fulfilledToExternal : ROW.asIs;
    case 'anchor':
      return weOpened.get(e.account) ? ROW.swapped : null;
    case 'deposit':
      if (e.account === 'external') return e.blockheight === 0 ? null : ROW.withdrawal;
      // Coins from a transaction that spent one of our outputs are a move, not income.
      return spentByUs(txidOf(e.outpoint)) ? null : ROW.asIs;
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
  const timestamp = events.timestampOf(i);
  const rebalance = events.rebalancePartnerOf(i) !== null;
  if (tag === 'penalty_adj') {
    if (credit !== 0n) rows.push(timestamp, i, ROW.credit);
  } else if (tag === 'invoice') {
    if (!rebalance) rows.push(timestamp, i, debit !== 0n ? ROW.paidInvoice : ROW.asIs);
  } else if (tag === 'routed') {
    if (debit !== 0n) rows.push(timestamp, i, ROW.routed);
  } else {
    rows.push(timestamp, i, ROW.asIs);
  }
  if (tag === 'invoice' && debit !== 0n && events.feesOf(i) !== 0n) rows.push(timestamp, i, rebalance ? ROW.rebalanceFee : ROW.invoiceFee);
}

function feeIncome(f: FeeRow, creditMsat: bigint, debitMsat: bigint, timestamp: number): IncomeRow {
  return { account: f.account, tag: 'onchain_fee', creditMsat, debitMsat, currency: f.coinType, timestamp, description: null, outpoint: null, txid: f.txid, paymentId: null, feesMsat: 0n };
}

/** Every fee delta in the window, as income: a fee increase is an expense (debit). */
function feeDeltas(rows: readonly FeeRow[], options: IncomeOptions): IncomeRow[] {
  return [...rows]
    .filter((f) => inWindow(f.timestamp, options))
    .sort((a, b) => a.timestamp - b.timestamp || a.accountId - b.accountId || compareTxidsAsStored(a.txid, b.txid) || a.updateCount - b.updateCount)
    .map((f) => feeIncome(f, f.debitMsat, f.creditMsat, f.timestamp));
}

/**
 * One net fee per (account, txid) of `rows`, dated at its latest delta, in CLN's order: txid
 * as stored, then account (by creation, as the reference version; by name, as newer CLN). A
 * net fee is an expense (debit); a net refund, a credit. For listincome all deltas count,
 * whatever the time window, as in CLN's bookkeeper of the reference version.
 */
export function consolidatedFees(rows: readonly FeeRow[], byAccount: (a: FeeRow, b: FeeRow) => number): IncomeRow[] {
  const groups = new Map<string, { first: FeeRow; net: bigint; latest: number }>();
  for (const f of rows) {
    const key = `${f.accountId}:${f.txid}`;
    const group = groups.get(key) ?? { first: f, net: 0n, latest: 0 };
    group.net += f.creditMsat - f.debitMsat;
    group.latest = Math.max(group.latest, f.timestamp);
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter((g) => g.net !== 0n)
    .sort((a, b) => compareTxidsAsStored(a.first.txid, b.first.txid) || byAccount(a.first, b.first))
    .map((g) => (g.net > 0n ? feeIncome(g.first, 0n, g.net, g.latest) : feeIncome(g.first, -g.net, 0n, g.latest)));
}
