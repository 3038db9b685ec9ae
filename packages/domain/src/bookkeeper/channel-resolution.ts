import type { Problem } from './facts.js';
import { eventsOfTx, setFee, type FeeLedger } from './onchain-fees.js';
import type { ChannelEventFields } from './channel-events.js';
import type { ChainEventList } from './chain-events.js';
import type { Account, ChainEvent } from './state.js';
import { compareTxidsAsStored, isChannelTypeAccount, txidOf, voutOf } from './txid.js';

/** An output of a traced transaction: where it was created, and where (if) it was spent. */
export interface OutputPair {
  readonly creation: ChainEvent | null;
  readonly spend: ChainEvent | null;
}

export interface TracedTx {
  readonly txid: string;
  readonly pairs: readonly OutputPair[];
}

export interface ChannelTrace {
  readonly txs: readonly TracedTx[];
  /** Every output traced to its end. */
  readonly complete: boolean;
}

/** The outputs of `txid` as creation/spend pairs (CLN's "output set"). */
export function outputPairs(events: ChainEventList, txid: string, onlyAccountId: number | null): OutputPair[] {
  const ofTx = events
    .createdInTx(txid)
    .map((i) => events.at(i))
    .filter((e) => onlyAccountId === null || e.accountId === onlyAccountId)
    .sort(
      (a, b) =>
        voutOf(a.outpoint) - voutOf(b.outpoint) ||
        Number(a.spendingTxid !== null) - Number(b.spendingTxid !== null) ||
        // Two spends of one output (an RBF'd sweep): by spending txid as CLN stores it, then block.
        (a.spendingTxid !== null && b.spendingTxid !== null ? compareTxidsAsStored(a.spendingTxid, b.spendingTxid) : 0) ||
        a.blockheight - b.blockheight ||
        a.order - b.order,
    );
  const pairs: OutputPair[] = [];
  let pending: ChainEvent | null = null;
  // A proposal followed by another output is dropped (its channel_open replaces it); the last
  // output of the set is kept whatever its tag, as CLN does.
  const keepUnlessProposal = (creation: ChainEvent) => {
    if (creation.tag !== 'channel_proposed') pairs.push({ creation, spend: null });
  };
  for (const e of ofTx) {
    if (e.spendingTxid === null) {
      if (pending) keepUnlessProposal(pending);
      pending = e;
    } else if (pending && pending.outpoint === e.outpoint) {
      pairs.push({ creation: pending, spend: e });
      pending = null;
    } else {
      if (pending) keepUnlessProposal(pending);
      pending = null;
      pairs.push({ creation: null, spend: e });
    }
  }
  if (pending) pairs.push({ creation: pending, spend: null });
  return pairs;
}

/**
 * Follows a channel's coins from its funding transaction through every spend of its own
 * (or stealable) outputs. Complete when nothing of ours is left unspent or unexplained.
 */
export function traceChannel(events: ChainEventList, account: Account): ChannelTrace {
  const open = account.openEvent;
  if (!open) return { txs: [], complete: false };
  const txids = [txidOf(open.outpoint)];
  const txs: TracedTx[] = [];
  let complete = true;
  for (let i = 0; i < txids.length; i++) {
    const txid = txids[i]!;
    const pairs = outputPairs(events, txid, i === 0 ? account.id : null);
    txs.push({ txid, pairs });
    if (pairs.length === 0) complete = false;
    for (const pair of pairs) {
      if (pair.spend && !pair.creation) complete = false;
      if (pair.creation && !pair.spend && isChannelTypeAccount(pair.creation.account)) complete = false;
      const spend = pair.spend;
      if (
        spend?.spendingTxid &&
        !txids.includes(spend.spendingTxid) &&
        spend.tag !== 'to_miner' &&
        (spend.accountId === account.id || spend.extraTags.includes('stealable') || spend.tag === 'stealable')
      ) {
        txids.push(spend.spendingTxid);
      }
    }
  }
  return { txs, complete };
}

export interface ResolutionLedger extends FeeLedger {
  problems: Problem[];
  addChannelEvent(event: ChannelEventFields): number;
}

/**
 * After a chain event that may touch a closed channel: is every output of its close traced
 * to its end? Then it is resolved (at the highest block of its own spends) and its close fee
 * is known: what it had minus what came back to us — or, if more came back (an old state was
 * punished), a penalty adjustment instead of a fee. A close whose spends all lack a block is
 * not resolved (its resolved block would be 0).
 */
export function checkClosedChannel(books: ResolutionLedger, account: Account): void {
  const events = books.chainEvents;
  const c = account.closedEventIndex;
  if (c < 0 || !events.isSpend(c) || unresolvableClose(events, account)) return;
  const closed = events.at(c);
  if (traceChannel(events, account).complete && outputPairs(events, closed.spendingTxid!, null).length === account.closeOutputCount) {
    let resolvedAt = 0;
    for (const i of events.ofAccountId(account.id)) if (events.isSpend(i)) resolvedAt = Math.max(resolvedAt, events.blockheightOf(i));
    account.resolvedBlock = Math.max(account.resolvedBlock, resolvedAt);
  }
  // Once resolved, CLN recomputes the close figures at every check, even when a later event has
  // made the trace incomplete again (a stealable HTLC tx not yet followed to its end).
  if (account.resolvedBlock > 0) recordCloseFee(books, account, closed);
}

function recordCloseFee(books: ResolutionLedger, account: Account, closed: ChainEvent): void {
  const closeTxid = closed.spendingTxid!;
  let returned = 0n;
  const events = books.chainEvents;
  for (const i of eventsOfTx(events, closeTxid)) {
    const tag = events.tagOf(i);
    const name = events.accountOf(i);
    if (tag === 'htlc_fulfill' && isChannelTypeAccount(name)) continue;
    if (tag === 'anchor') continue;
    if (name === 'external' && tag !== 'htlc_fulfill') continue;
    returned += events.creditOf(i);
  }
  if (returned > closed.debitMsat) {
    // CLN records this pair again every time the check re-runs (each later chain event that
    // points at the channel). We keep its answers, quirk included; the repeats are reported.
    if (account.penaltyRecorded) {
      books.problems.push({ code: 'repeated_penalty_adjustment', account: account.name, message: `penalty adjustment of ${account.name} recorded again, as CLN's bookkeeper does on every re-check` });
    }
    account.penaltyRecorded = true;
    const excess = returned - closed.debitMsat;
    const base = { accountId: account.id, tag: 'penalty_adj', extraTags: [], feesMsat: 0n, paymentId: null, partId: null, timestamp: closed.timestamp, coinType: closed.coinType, description: null, derived: true };
    books.addChannelEvent({ ...base, creditMsat: excess, debitMsat: 0n });
    books.addChannelEvent({ ...base, creditMsat: 0n, debitMsat: excess });
    return;
  }
  setFee(books, account, closeTxid, closed.debitMsat - returned, closed.timestamp, closed.coinType);
}

/**
 * Why a closed channel cannot be resolved with what is known: a close without `output_count`
 * (CLN's plugin stops there), or no `channel_open` seen to trace from. Null when it can be.
 */
export function unresolvableClose(events: ChainEventList, account: Account): Problem | null {
  const c = account.closedEventIndex;
  if (c < 0 || !events.isSpend(c)) return null;
  if (account.closeOutputCount <= 0) {
    return { code: 'close_without_output_count', account: account.name, message: `channel_close of ${account.name} carries no output_count; it cannot be resolved` };
  }
  if (account.openEventIndex < 0) return { code: 'close_without_open', account: account.name, message: `${account.name} closed but its channel_open was never seen` };
  return null;
}
