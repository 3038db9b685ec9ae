import type { ChainFact, ChannelFact, DescriptionFact, Fact, Problem, SnapshotFact } from './facts.js';
import { eventsDescribedBy } from './descriptions.js';
import { checkClosedChannel, unresolvableClose, type ResolutionLedger } from './channel-resolution.js';
import { recomputeTxFee } from './onchain-fees.js';
import { ChainEventList } from './chain-events.js';
import { BookAccount } from './book-account.js';
import { ChannelEventList, type ChannelEventFields } from './channel-events.js';
import { FeeRowList, type FeeRowFields } from './fee-rows.js';
import type { Account, Books } from './state.js';
import { isChannelTypeAccount, txidOf } from './txid.js';

/**
 * Replays a node's facts in arrival order through CLN's bookkeeping: accounts and their
 * channel flags, deduplication, on-chain fee deltas, external-send confirmation, channel
 * resolution and close fees, rebalance pairing, and journal entries from balance snapshots.
 * Pure and deterministic: the same facts in the same order give the same books.
 */
export function keepBooks(facts: Iterable<Fact>): Books {
  const keeper = new BookKeeper();
  for (const fact of facts) keeper.apply(fact);
  return keeper.books();
}

/** The fold itself, for callers that keep it and feed it new facts as they arrive (in order). */
export class BookKeeper implements ResolutionLedger {
  readonly accounts = new Map<string, Account>();
  private readonly byId: Account[] = [];
  readonly chainEvents = new ChainEventList(this.byId);
  readonly channelEvents = new ChannelEventList(this.byId);
  readonly feeRows = new FeeRowList(this.byId, this.chainEvents.txidTable);
  readonly problems: Problem[] = [];
  /**
   * Per account and coin type, the net of its `ignored` chain events: what the snapshot
   * comparison leaves out of the balance totals (kept apart, not as a second set of totals: few
   * accounts have any).
   */
  private readonly ignoredNets = new Map<number, Map<string, bigint>>();
  private readonly balanceTotals = new Map<number, Map<string, { credit: bigint; debit: bigint }>>();
  private readonly chainCoins = new Set<string>();
  /** Accounts with a channel movement of the node's own (not one the books derived). */
  private readonly accountsWithChannelMoves = new Set<number>();
  private order = 0;
  private tip = 0;

  private nextOrder(): number {
    return this.order++;
  }

  addFeeRow(row: FeeRowFields): void {
    this.feeRows.push(this.nextOrder(), row);
  }

  /** listbalances counts every event, `ignored` ones included (as CLN does). */
  private addToBalance(accountId: number, coinType: string, credit: bigint, debit: bigint, fromChain: boolean): void {
    let byCoin = this.balanceTotals.get(accountId);
    if (!byCoin) this.balanceTotals.set(accountId, (byCoin = new Map()));
    const t = byCoin.get(coinType);
    if (t) {
      t.credit += credit;
      t.debit += debit;
    } else byCoin.set(coinType, { credit, debit });
    if (!fromChain) return;
    const key = `${accountId}|${coinType}`;
    if (this.chainCoins.has(key)) return;
    this.chainCoins.add(key);
    // CLN's listing order: the coin types of chain events sorted, then channel-only ones.
    const entries = [...byCoin];
    const onChain = entries.filter(([coin]) => this.chainCoins.has(`${accountId}|${coin}`)).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    const channelOnly = entries.filter(([coin]) => !this.chainCoins.has(`${accountId}|${coin}`));
    byCoin.clear();
    for (const [coin, totals] of [...onChain, ...channelOnly]) byCoin.set(coin, totals);
  }

  private addToIgnored(accountId: number, coinType: string, credit: bigint, debit: bigint): void {
    let byCoin = this.ignoredNets.get(accountId);
    if (!byCoin) this.ignoredNets.set(accountId, (byCoin = new Map()));
    byCoin.set(coinType, (byCoin.get(coinType) ?? 0n) + credit - debit);
  }

  accountById(id: number): Account {
    return this.byId[id]!;
  }

  /** The books so far. Cheap: the lists are shared, not copied; keep feeding facts after. */
  books(): Books {
    // A channel movement may arrive before its channel's opening; only one that never got an
    // on-chain side at all is a problem (CLN's plugin stops at the first such movement).
    const orphans: Problem[] = [];
    for (const account of this.byId) {
      // Judged on what is known now, not when the close arrived: its open or output count may come later.
      const problem = unresolvableClose(this.chainEvents, account);
      if (problem) orphans.push(problem);
      if (this.chainEvents.hasEventsOfAccount(account.id) || account.name === 'wallet' || account.name === 'external') continue;
      if (this.accountsWithChannelMoves.has(account.id)) {
        orphans.push({ code: 'channel_event_for_unknown_account', account: account.name, message: `channel movements for ${account.name}, which has no chain event (no channel_open) at all` });
      }
    }
    return {
      accounts: this.byId,
      chainEvents: this.chainEvents,
      channelEvents: this.channelEvents,
      feeRows: this.feeRows,
      problems: [...this.problems, ...orphans],
      tipBlockheight: this.tip,
      version: this.order,
      totals: this.balanceTotals,
    };
  }

  apply(fact: Fact): void {
    if (fact.type === 'chain') this.applyChain(fact);
    else if (fact.type === 'channel') this.applyChannel(fact);
    else if (fact.type === 'snapshot') this.applySnapshot(fact);
    else this.applyDescription(fact);
  }

  private account(name: string): Account {
    let account = this.accounts.get(name);
    if (!account) {
      account = new BookAccount(this.byId.length, name, this.chainEvents);
      this.accounts.set(name, account);
      this.byId.push(account);
    }
    return account;
  }

  private applyChain(fact: ChainFact): void {
    this.tip = Math.max(this.tip, fact.blockheight);
    const account = this.account(fact.account);
    if (fact.originAccount !== null && fact.source === 'coin_movement') this.account(fact.originAccount);
    if (this.isDuplicate(account, fact)) return;
    const index = this.chainEvents.push(this.nextOrder(), {
      accountId: account.id,
      tag: fact.tag,
      extraTags: fact.extraTags,
      creditMsat: fact.creditMsat,
      debitMsat: fact.debitMsat,
      outputMsat: fact.outputMsat,
      paymentId: fact.paymentId,
      timestamp: fact.timestamp,
      coinType: fact.coinType,
      outpoint: fact.outpoint,
      spendingTxid: fact.spendingTxid,
      blockheight: fact.blockheight,
      originAccount: fact.originAccount,
      source: fact.source,
      description: fact.description,
    });
    // Read from the fact, which the event holds as it is (no event object made per fact).
    this.addToBalance(account.id, fact.coinType, fact.creditMsat, fact.debitMsat, true);
    if (fact.tag === 'ignored' || fact.extraTags.includes('ignored')) this.addToIgnored(account.id, fact.coinType, fact.creditMsat, fact.debitMsat);
    // Kept by no one: a slice of the outpoint, which the events do not keep as text.
    const createdIn = txidOf(fact.outpoint);
    this.updateAccountFlags(account, index, fact);

    if (fact.spendingTxid !== null) {
      recomputeTxFee(this, fact.spendingTxid);
      if (fact.source === 'utxo') recomputeTxFee(this, createdIn);
      this.confirmExternalSends(fact.spendingTxid, fact.blockheight);
    } else {
      recomputeTxFee(this, createdIn);
      if (fact.account === 'external' && fact.blockheight === 0) this.confirmLateExternalSend(index, createdIn);
    }
    if (fact.source === 'coin_movement') this.checkClose(fact, createdIn);
  }

  /** CLN's natural keys: a spend by (account, outpoint, spending txid); an output by (account, outpoint, tag). */
  private isDuplicate(account: Account, fact: ChainFact): boolean {
    const events = this.chainEvents;
    return events
      .createdInTx(txidOf(fact.outpoint))
      .some(
        (i) =>
          events.accountIdOf(i) === account.id &&
          events.outpointOf(i) === fact.outpoint &&
          (fact.spendingTxid !== null ? events.spendingTxidOf(i) === fact.spendingTxid : events.spendingTxidOf(i) === null && events.tagOf(i) === fact.tag),
      );
  }

  /** After chain event `index` (of `fact`) was added. */
  private updateAccountFlags(account: Account, index: number, fact: ChainFact): void {
    const splice = fact.tag === 'splice' || fact.extraTags.includes('splice');
    for (let k = -1; k < fact.extraTags.length; k++) {
      const tag = k < 0 ? fact.tag : fact.extraTags[k]!;
      if (tag === 'channel_open' || tag === 'channel_proposed') account.openEventIndex = index;
      else if (tag === 'channel_close' && !splice) account.closedEventIndex = index;
      else if (tag === 'leased') account.leased = true;
      else if (tag === 'opener') account.weOpened = true;
    }
    if (fact.peerId !== null) account.peerId = fact.peerId;
    if (fact.outputCount !== null && fact.outputCount > 0 && !splice) account.closeOutputCount = fact.outputCount;
  }

  /**
   * A confirmed spend of a transaction's inputs confirms the sends to `external` it made: the
   * events of the `external` account about outputs of the transaction (found through the chain
   * events, not kept by txid).
   */
  private confirmExternalSends(spendingTxid: string, blockheight: number): void {
    if (blockheight === 0) return;
    const external = this.accounts.get('external');
    if (!external) return;
    const events = this.chainEvents;
    for (const i of events.createdInTx(spendingTxid)) if (events.accountIdOf(i) === external.id && events.blockheightOf(i) === 0) events.confirmBlockheight(i, blockheight);
  }

  /**
   * We differ from CLN: a send announced after its spend was seen is confirmed all the same, at
   * the block of the first spend into its transaction recorded with one (the events' own
   * blocks, not those a confirmation gave them: no map by txid kept).
   */
  private confirmLateExternalSend(index: number, createdIn: string): void {
    const events = this.chainEvents;
    for (const i of events.spendingIntoTx(createdIn)) {
      const recorded = events.recordedBlockheightOf(i);
      if (recorded !== 0) {
        events.confirmBlockheight(index, recorded);
        return;
      }
    }
  }

  /**
   * The closed channels a chain event may complete: CLN checks one account (the event's own
   * channel, else its origin, else the channel whose close created the output). We also check
   * the channels whose own spend created the output — the wallet deposit of a sweep names no
   * origin, and arriving after the sweep's spend it would otherwise never resolve its channel,
   * which arriving before it does: resolution must not depend on that order.
   */
  private checkClose(fact: ChainFact, createdIn: string): void {
    const targets = new Set<Account>();
    let target: Account | undefined;
    if (isChannelTypeAccount(fact.account)) target = this.accounts.get(fact.account);
    else if (fact.originAccount !== null) target = this.accounts.get(fact.originAccount);
    else if (fact.spendingTxid === null) {
      const events = this.chainEvents;
      const created = events.txidTable.find(createdIn);
      target = created < 0 ? undefined : this.byId.find((a) => a.closedEventIndex >= 0 && events.spendingTxidNumberOf(a.closedEventIndex) === created);
    }
    else target = this.accounts.get(fact.account);
    if (target) targets.add(target);
    if (fact.spendingTxid === null) {
      const events = this.chainEvents;
      for (const spend of events.spendingIntoTx(createdIn)) if (isChannelTypeAccount(events.accountOf(spend))) targets.add(this.accountById(events.accountIdOf(spend)));
    }
    for (const account of targets) if (account.closedEventIndex >= 0) checkClosedChannel(this, account);
  }

  /** Adds a channel event; its index among the channel events. */
  addChannelEvent(e: ChannelEventFields): number {
    const index = this.channelEvents.push(this.nextOrder(), e);
    if (!e.derived) this.accountsWithChannelMoves.add(e.accountId);
    this.addToBalance(e.accountId, e.coinType, e.creditMsat, e.debitMsat, false);
    return index;
  }

  private applyChannel(fact: ChannelFact): void {
    const account = this.account(fact.account);
    if (fact.tag === 'invoice' && fact.debitMsat !== 0n && fact.feesMsat > fact.debitMsat) {
      this.problems.push({ code: 'invoice_fees_exceed_debit', account: fact.account, message: `invoice ${fact.paymentId ?? ''} pays fees ${fact.feesMsat} above its debit ${fact.debitMsat}` });
    }
    const event = this.addChannelEvent({
      accountId: account.id,
      tag: fact.tag,
      extraTags: fact.extraTags,
      creditMsat: fact.creditMsat,
      debitMsat: fact.debitMsat,
      feesMsat: fact.feesMsat,
      paymentId: fact.paymentId,
      partId: fact.partId,
      timestamp: fact.timestamp,
      coinType: fact.coinType,
      description: fact.description,
      derived: false,
    });
    this.pairRebalance(event);
  }

  /**
   * A paid invoice and a credit with the same payment hash, where what the invoice paid less
   * fees is what the credit brought, are the two halves of a rebalance. CLN looks for the
   * credit (any tag) when the paid invoice arrives, so it pairs only when the credit came
   * first; we pair them in either order, by the same rule both ways.
   */
  private pairRebalance(event: number): void {
    const events = this.channelEvents;
    const paid = events.tagOf(event) === 'invoice' && events.debitOf(event) !== 0n;
    if (!paid && events.creditOf(event) === 0n) return;
    const partner = events.ofSamePayment(event).find((other) => {
      if (other === event || events.rebalancePartnerOf(other) !== null) return false;
      if (paid) return events.creditOf(other) === events.debitOf(event) - events.feesOf(event);
      return events.tagOf(other) === 'invoice' && events.debitOf(other) !== 0n && events.debitOf(other) - events.feesOf(other) === events.creditOf(event);
    });
    if (partner === undefined) return;
    events.pairAsRebalance(partner, event);
  }

  private applyDescription(fact: DescriptionFact): void {
    if (fact.by === 'outpoint') {
      const events = this.chainEvents;
      for (const i of events.createdInTx(txidOf(fact.key))) if (events.outpointOf(i) === fact.key && events.creditOf(i) > 0n) events.setDescription(i, fact.description);
    } else {
      const { chain, channel } = eventsDescribedBy(this, fact.by, fact.key);
      for (const e of chain) this.chainEvents.setDescription(e.index, fact.description);
      for (const i of channel) this.channelEvents.setDescription(i, fact.description);
    }
    this.nextOrder(); // the books changed: a new version
  }

  private applySnapshot(fact: SnapshotFact): void {
    if (fact.blockheight !== null) this.tip = Math.max(this.tip, fact.blockheight);
    const known = this.accounts.get(fact.account);
    const account = this.account(fact.account);
    // What the snapshot is compared with: every event's credits less debits, `ignored` chain events left out.
    const totals = this.balanceTotals.get(account.id)?.get(fact.coinType);
    const net = (totals ? totals.credit - totals.debit : 0n) - (this.ignoredNets.get(account.id)?.get(fact.coinType) ?? 0n);
    const diff = fact.balanceMsat - net;
    if (!known && isChannelTypeAccount(fact.account)) {
      // CLN asks its node (listpeerchannels) for the funding of a channel it never saw; we
      // have no such access: the whole balance becomes one journal entry, and we say so.
      this.problems.push({ code: 'missed_channel', account: fact.account, message: `balance_snapshot names ${fact.account}, never seen before: journaled its whole balance` });
    }
    if (diff === 0n) return;
    this.addChannelEvent({
      accountId: account.id,
      tag: 'journal_entry',
      extraTags: [],
      creditMsat: diff > 0n ? diff : 0n,
      debitMsat: diff < 0n ? -diff : 0n,
      feesMsat: 0n,
      paymentId: null,
      partId: null,
      timestamp: fact.timestamp,
      coinType: fact.coinType,
      description: null,
      derived: true,
    });
  }
}
