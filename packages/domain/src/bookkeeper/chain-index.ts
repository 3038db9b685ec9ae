import type { ChainEvent, ChainEventList } from './chain-events.js';
import type { FeeRowList } from './fee-rows.js';

/**
 * Lookups the bookkeeping does after every event, so a replay stays linear in the number of
 * facts: chain events by the txid that spends them, by the txid that created them, by account
 * (kept by the chain events themselves); fees by (account, txid) (kept by the fee rows).
 */
export class ChainIndex {
  constructor(
    private readonly events: ChainEventList,
    private readonly fees: FeeRowList,
  ) {}

  /** Events about outputs of `txid`: their creation and their spends. */
  outputsOf(txid: string): ChainEvent[] {
    return this.eventsAt(this.events.createdInTx(txid));
  }

  eventsOfAccount(accountId: number): ChainEvent[] {
    return this.eventsAt(this.events.ofAccountId(accountId));
  }

  /** The fee (account, txid) has been charged so far (the sum of its deltas), and its last update count (0: none). */
  feeOf(accountId: number, txid: string): { readonly paidMsat: bigint; readonly lastUpdate: number } {
    return this.fees.feeOf(accountId, txid);
  }

  private eventsAt(indices: readonly number[]): ChainEvent[] {
    return indices.map((i) => this.events.at(i));
  }
}
