import { mergeByHeads } from './merge.js';
import type { Books, ChainEvent, ChannelEvent, FeeRow } from './state.js';
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

/** What a statement row is made from: a chain or channel event, or a fee row's income (kept made). */
type IncomeSource = ChainEvent | ChannelEvent | IncomeRow;

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
 * from it (9 bytes a row instead of a row object of ≈ 110), rows made as they are read. The
 * events' fields a row copies do not change once folded, but for a description edit, which
 * makes new books and so a new statement.
 */
export class IncomeStatement implements Iterable<IncomeRow> {
  constructor(
    private readonly sources: readonly IncomeSource[],
    private readonly kinds: Uint8Array,
  ) {}

  get length(): number {
    return this.kinds.length;
  }

  at(i: number): IncomeRow {
    return rowOf(this.sources[i]!, this.kinds[i]!);
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

/** One row of a statement to come: its time (to merge by), its source and how it is made. */
interface Pending {
  readonly timestamp: number;
  readonly source: IncomeSource;
  readonly kind: number;
}

function computeIncomeStatement(books: Books, options: IncomeOptions): IncomeStatement {
  const { chain, channel } = pendingOfEvents(books, options);
  const fees = (options.consolidateFees ? consolidatedFees(books.feeRows, (a, b) => a.accountId - b.accountId) : feeDeltas(books.feeRows, options)).map(
    (row): Pending => ({ timestamp: row.timestamp, source: row, kind: ROW.made }),
  );
  const merged = mergeByHeads(chain, channel, fees);
  return new IncomeStatement(
    merged.map((p) => p.source),
    Uint8Array.from(merged, (p) => p.kind),
  );
}

/** The rows to come of the chain and channel events in the window, each list in CLN's order. */
function pendingOfEvents(books: Books, window: { startTime: number; endTime: number }): { chain: Pending[]; channel: Pending[] } {
  const kindOf = chainIncomeKindOf(books);
  const chain: Pending[] = [];
  for (const e of sortedByTime(books.chainEvents)) {
    if (!inWindow(e.timestamp, window)) continue;
    const kind = kindOf(e);
    if (kind !== null) chain.push({ timestamp: e.timestamp, source: e, kind });
  }
  const channel: Pending[] = [];
  for (const e of sortedByTime(books.channelEvents)) {
    if (inWindow(e.timestamp, window)) for (const kind of channelIncomeKinds(e)) channel.push({ timestamp: e.timestamp, source: e, kind });
  }
  return { chain, channel };
}

/** The income rows of the chain and channel events in the window, each list in CLN's order. */
export function incomeOfEvents(books: Books, window: { startTime: number; endTime: number }): { chainRows: IncomeRow[]; channelRows: IncomeRow[] } {
  const { chain, channel } = pendingOfEvents(books, window);
  return { chainRows: chain.map((p) => rowOf(p.source, p.kind)), channelRows: channel.map((p) => rowOf(p.source, p.kind)) };
}

/** The income row of a chain event of `books` (null: none), as the income statement shows it. */
export function chainIncomeOf(books: Books): (e: ChainEvent) => IncomeRow | null {
  const kindOf = chainIncomeKindOf(books);
  return (e) => {
    const kind = kindOf(e);
    return kind === null ? null : rowOf(e, kind);
  };
}

function chainIncomeKindOf(books: Books): (e: ChainEvent) => number | null {
  const weOpened = new Map(books.accounts.map((a) => [a.name, a.weOpened]));
  const spentByUs = (txid: string) => books.index.spendsInto(txid).length > 0;
  return (e) => chainIncomeKind(e, spentByUs, weOpened);
}

function sortedByTime<T extends { timestamp: number; order: number }>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => a.timestamp - b.timestamp || a.order - b.order);
}

/** An event's income row; every field spelled out, so all rows share one compact object shape. */
function row(e: ChainEvent | ChannelEvent, fields: Pick<Partial<IncomeRow>, 'account' | 'tag' | 'feesMsat'> & Pick<IncomeRow, 'creditMsat' | 'debitMsat'>): IncomeRow {
  return {
    account: fields.account ?? e.account,
    tag: fields.tag ?? e.tag,
    creditMsat: fields.creditMsat,
    debitMsat: fields.debitMsat,
    currency: e.coinType,
    timestamp: e.timestamp,
    description: e.description,
    outpoint: e.kind === 'chain' ? e.outpoint : null,
    txid: e.kind === 'chain' ? e.spendingTxid : null,
    paymentId: e.paymentId,
    feesMsat: fields.feesMsat ?? 0n,
  };
}

function rowOf(source: IncomeSource, kind: number): IncomeRow {
  if (kind === ROW.made) return source as IncomeRow;
  const e = source as ChainEvent | ChannelEvent;
  const origin = () => (e.kind === 'chain' ? e.originAccount : null) ?? 'external';
  const fees = e.kind === 'channel' ? e.feesMsat : 0n;
  switch (kind) {
    case ROW.asIs:
      return row(e, { creditMsat: e.creditMsat, debitMsat: e.debitMsat });
    case ROW.swapped:
      return row(e, { creditMsat: e.debitMsat, debitMsat: e.creditMsat });
    case ROW.fulfilledToExternal:
      return row(e, { account: origin(), creditMsat: e.debitMsat, debitMsat: e.creditMsat });
    case ROW.withdrawal:
      return row(e, { account: origin(), tag: 'withdrawal', creditMsat: 0n, debitMsat: e.creditMsat });
    case ROW.credit:
      return row(e, { creditMsat: e.creditMsat, debitMsat: 0n });
    case ROW.paidInvoice:
      return row(e, { creditMsat: e.creditMsat, debitMsat: e.debitMsat - fees, feesMsat: fees });
    case ROW.routed:
      return row(e, { creditMsat: fees, debitMsat: 0n });
    case ROW.invoiceFee:
    case ROW.rebalanceFee:
      return row(e, { tag: kind === ROW.rebalanceFee ? 'rebalance_fee' : 'invoice_fee', creditMsat: 0n, debitMsat: fees, feesMsat: fees });
    default:
      throw new Error(`income row kind ${kind} unknown`);
  }
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

function channelIncomeKinds(e: ChannelEvent): number[] {
  if (e.creditMsat === 0n && e.debitMsat === 0n) return [];
  const kinds: number[] = [];
  if (e.tag === 'penalty_adj') {
    if (e.creditMsat !== 0n) kinds.push(ROW.credit);
  } else if (e.tag === 'invoice') {
    if (!e.rebalancePartner) kinds.push(e.debitMsat !== 0n ? ROW.paidInvoice : ROW.asIs);
  } else if (e.tag === 'routed') {
    if (e.debitMsat !== 0n) kinds.push(ROW.routed);
  } else {
    kinds.push(ROW.asIs);
  }
  if (e.tag === 'invoice' && e.debitMsat !== 0n && e.feesMsat !== 0n) kinds.push(e.rebalancePartner ? ROW.rebalanceFee : ROW.invoiceFee);
  return kinds;
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
