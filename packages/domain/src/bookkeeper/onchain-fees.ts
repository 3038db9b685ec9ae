import type { ChainEventList } from './chain-events.js';
import type { FeeRowFields, FeeRowList } from './fee-rows.js';
import type { Account } from './state.js';

export interface FeeLedger {
  accounts: ReadonlyMap<string, Account>;
  accountById(id: number): Account;
  readonly chainEvents: ChainEventList;
  readonly feeRows: FeeRowList;
  addFeeRow(row: FeeRowFields): void;
}

/** The events of a transaction (their indices): spends into it, and its outputs not (yet) recorded as spent; by account, then order. */
export function eventsOfTx(events: ChainEventList, txid: string): number[] {
  const ofTx = events.spendingIntoTx(txid);
  for (const i of events.createdInTx(txid)) if (!events.isSpend(i)) ofTx.push(i);
  return ofTx.sort((a, b) => events.accountIdOf(a) - events.accountIdOf(b) || events.orderOf(a) - events.orderOf(b));
}

/** Moves the fee of (account, txid) to `target` by writing one delta row (none when equal). */
export function setFee(books: FeeLedger, account: Account, txid: string, target: bigint, timestamp: number, coinType: string): void {
  const { paidMsat: current, lastUpdate } = books.feeRows.feeOf(account.id, txid);
  if (current === target) return;
  books.addFeeRow({
    accountId: account.id,
    txid,
    creditMsat: target > current ? target - current : 0n,
    debitMsat: target < current ? current - target : 0n,
    timestamp,
    coinType,
    updateCount: lastUpdate + 1,
  });
}

/**
 * CLN's on-chain fee attribution for a transaction that is not a channel close: once what
 * went in (spends into it) covers what came out (its outputs we know), the difference is
 * split evenly over the accounts involved — never `external`, and not `wallet` when another
 * account is involved (its earlier share is reversed) — remainder msats to the first ones.
 * Each change is a delta dated at that account's earliest event in the transaction.
 *
 * We differ for an organization's internal transfer inside one node's books (the wallet
 * paying one of the node's 3rd-party wallets, or the reverse): its output is reported twice,
 * as the sender's send to `external` and as the receiver's deposit. CLN would count it twice —
 * deposits then exceed withdrawals and whatever an earlier, partial picture charged stays, so
 * who pays and how much would depend on which side arrived first. It is one output: counted
 * once, and the receiving side is not charged (it spent nothing into the transaction; a fee
 * an earlier picture charged it is reversed). The sender pays, whatever the arrival order.
 */
export function recomputeTxFee(books: FeeLedger, txid: string): void {
  const events = books.chainEvents;
  const ofTx = eventsOfTx(events, txid);
  if (ofTx.length < 2) return;
  const spending = events.txidTable.find(txid);
  for (const i of ofTx) {
    const closed = books.accountById(events.accountIdOf(i)).closedEventIndex;
    if (closed >= 0 && events.spendingTxidNumberOf(closed) === spending) return; // a close: its fee comes with resolution
  }
  const sentAway = new Set<string>();
  for (const i of ofTx) if (!events.isSpend(i) && events.accountOf(i) === 'external') sentAway.add(events.outpointOf(i));
  const receivedInternally = (i: number) => sentAway.size > 0 && !events.isSpend(i) && events.accountOf(i) !== 'external' && sentAway.has(events.outpointOf(i));
  let withdrawals = 0n;
  let deposits = 0n;
  const involved: Account[] = [];
  const receiving: Account[] = [];
  for (const i of ofTx) {
    const account = books.accountById(events.accountIdOf(i));
    if (receivedInternally(i)) {
      if (!receiving.includes(account)) receiving.push(account);
      continue;
    }
    if (events.isSpend(i)) withdrawals += events.debitOf(i);
    else deposits += events.creditOf(i);
    if (account.name !== 'external' && !involved.includes(account)) involved.push(account);
  }
  if (involved.length === 0 || withdrawals === 0n || deposits === 0n || withdrawals < deposits) return;
  const fee = withdrawals - deposits;
  const excludeWallet = involved.length > 1 && involved.some((a) => a.name === 'wallet');
  const sharing = BigInt(excludeWallet ? involved.length - 1 : involved.length);
  const share = fee / sharing;
  let remainder = fee % sharing;
  for (const account of involved) {
    const first = ofTx.find((i) => events.accountIdOf(i) === account.id)!;
    if (excludeWallet && account.name === 'wallet') {
      setFee(books, account, txid, 0n, events.timestampOf(first), events.coinTypeOf(first));
      continue;
    }
    const extra = remainder > 0n ? 1n : 0n;
    remainder -= extra;
    setFee(books, account, txid, share + extra, events.timestampOf(first), events.coinTypeOf(first));
  }
  for (const account of receiving.filter((a) => !involved.includes(a))) {
    const first = ofTx.find((i) => events.accountIdOf(i) === account.id)!;
    setFee(books, account, txid, 0n, events.timestampOf(first), events.coinTypeOf(first));
  }
}
