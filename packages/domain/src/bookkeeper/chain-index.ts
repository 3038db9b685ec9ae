import type { ChainEvent, ChainEventList } from './chain-events.js';
import type { FeeRow } from './state.js';

/**
 * Lookups the bookkeeping does after every event, so a replay stays linear in the number of
 * facts: chain events by the txid that spends them, by the txid that created them, by account
 * (kept by the chain events themselves); fee rows by (account, txid).
 */
export class ChainIndex {
  private readonly fees = new Map<string, FeeRow[]>();

  constructor(private readonly events: ChainEventList) {}

  addFeeRow(row: FeeRow): void {
    const key = `${row.accountId}|${row.txid}`;
    const list = this.fees.get(key);
    if (list) list.push(row);
    else this.fees.set(key, [row]);
  }

  /** Whether any event records a spend into `txid`. */
  isSpentInto(txid: string): boolean {
    return this.events.hasSpendInto(txid);
  }

  /** Events about outputs of `txid`: their creation and their spends. */
  outputsOf(txid: string): ChainEvent[] {
    return this.eventsAt(this.events.createdInTx(txid));
  }

  eventsOfAccount(accountId: number): ChainEvent[] {
    return this.eventsAt(this.events.ofAccountId(accountId));
  }

  feeRowsOf(accountId: number, txid: string): readonly FeeRow[] {
    return this.fees.get(`${accountId}|${txid}`) ?? [];
  }

  private eventsAt(indices: readonly number[]): ChainEvent[] {
    return indices.map((i) => this.events.at(i));
  }
}
