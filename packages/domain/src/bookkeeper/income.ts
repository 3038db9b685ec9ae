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

const memo = new WeakMap<object, { version: number; byOptions: Map<string, IncomeRow[]> }>();

/** Statements remembered per books version: the forms (options) last asked for, each a row per event. */
const STATEMENTS_PER_BOOKS = 3;

/**
 * CLN's income statement: what each event means for income and expenses, in CLN's order.
 * Remembered per books version and options: asked again before new facts, it is not redone.
 */
export function incomeStatement(books: Books, options: IncomeOptions): IncomeRow[] {
  let entry = memo.get(books.chainEvents);
  if (!entry || entry.version !== books.version) memo.set(books.chainEvents, (entry = { version: books.version, byOptions: new Map() }));
  const key = `${options.consolidateFees}|${options.startTime}|${options.endTime}`;
  let rows = entry.byOptions.get(key);
  if (rows) entry.byOptions.delete(key); // set again below: the most recently asked for goes last
  else {
    rows = computeIncomeStatement(books, options);
    if (entry.byOptions.size >= STATEMENTS_PER_BOOKS) entry.byOptions.delete(entry.byOptions.keys().next().value!);
  }
  entry.byOptions.set(key, rows);
  return rows;
}

function computeIncomeStatement(books: Books, options: IncomeOptions): IncomeRow[] {
  const { chainRows, channelRows } = incomeOfEvents(books, options);
  const feeRows = options.consolidateFees
    ? consolidatedFees(books.feeRows, (a, b) => a.accountId - b.accountId)
    : feeDeltas(books.feeRows, options);
  return mergeByHeads(chainRows, channelRows, feeRows);
}

/** The income rows of the chain and channel events in the window, each list in CLN's order. */
export function incomeOfEvents(books: Books, window: { startTime: number; endTime: number }): { chainRows: IncomeRow[]; channelRows: IncomeRow[] } {
  const incomeOf = chainIncomeOf(books);
  const chainRows: IncomeRow[] = [];
  for (const e of sortedByTime(books.chainEvents)) {
    if (!inWindow(e.timestamp, window)) continue;
    const row = incomeOf(e);
    if (row) chainRows.push(row);
  }
  const channelRows: IncomeRow[] = [];
  for (const e of sortedByTime(books.channelEvents)) {
    if (inWindow(e.timestamp, window)) channelRows.push(...channelIncome(e));
  }
  return { chainRows, channelRows };
}

/** The income row of a chain event of `books` (null: none), as the income statement shows it. */
export function chainIncomeOf(books: Books): (e: ChainEvent) => IncomeRow | null {
  const spentTxids = new Set<string>();
  for (const e of books.chainEvents) if (e.spendingTxid !== null) spentTxids.add(e.spendingTxid);
  const weOpened = new Map(books.accounts.map((a) => [a.name, a.weOpened]));
  return (e) => chainIncome(e, spentTxids, weOpened);
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

function chainIncome(e: ChainEvent, spentTxids: ReadonlySet<string>, weOpened: ReadonlyMap<string, boolean>): IncomeRow | null {
  switch (e.tag) {
    case 'htlc_fulfill':
      if (e.account === 'external') return row(e, { account: e.originAccount ?? 'external', creditMsat: e.debitMsat, debitMsat: e.creditMsat });
      return row(e, { creditMsat: e.creditMsat, debitMsat: e.debitMsat });
    case 'anchor':
      return weOpened.get(e.account) ? row(e, { creditMsat: e.debitMsat, debitMsat: e.creditMsat }) : null;
    case 'deposit':
      if (e.account === 'external') {
        if (e.blockheight === 0) return null;
        return row(e, { account: e.originAccount ?? 'external', tag: 'withdrawal', creditMsat: 0n, debitMsat: e.creditMsat });
      }
      // Coins from a transaction that spent one of our outputs are a move, not income.
      return spentTxids.has(txidOf(e.outpoint)) ? null : row(e, { creditMsat: e.creditMsat, debitMsat: e.debitMsat });
    default:
      return null;
  }
}

function channelIncome(e: ChannelEvent): IncomeRow[] {
  if (e.creditMsat === 0n && e.debitMsat === 0n) return [];
  const rows: IncomeRow[] = [];
  if (e.tag === 'penalty_adj') {
    if (e.creditMsat !== 0n) rows.push(row(e, { creditMsat: e.creditMsat, debitMsat: 0n }));
  } else if (e.tag === 'invoice') {
    if (!e.rebalancePartner) {
      if (e.debitMsat !== 0n) rows.push(row(e, { creditMsat: e.creditMsat, debitMsat: e.debitMsat - e.feesMsat, feesMsat: e.feesMsat }));
      else rows.push(row(e, { creditMsat: e.creditMsat, debitMsat: e.debitMsat }));
    }
  } else if (e.tag === 'routed') {
    if (e.debitMsat !== 0n) rows.push(row(e, { creditMsat: e.feesMsat, debitMsat: 0n }));
  } else {
    rows.push(row(e, { creditMsat: e.creditMsat, debitMsat: e.debitMsat }));
  }
  if (e.tag === 'invoice' && e.debitMsat !== 0n && e.feesMsat !== 0n) {
    rows.push(row(e, { tag: e.rebalancePartner ? 'rebalance_fee' : 'invoice_fee', creditMsat: 0n, debitMsat: e.feesMsat, feesMsat: e.feesMsat }));
  }
  return rows;
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
