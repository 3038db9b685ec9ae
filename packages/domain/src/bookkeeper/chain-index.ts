import type { ChainEvent, ChainEventList } from './chain-events.js';
import type { FeeRow } from './state.js';
import { txidOf } from './txid.js';

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/**
 * Lookups the bookkeeping does after every event, kept as maps so a replay stays linear in
 * the number of facts: chain events (by index) by the txid that spends them, by the txid that
 * created them, by account; fee rows by (account, txid).
 */
export class ChainIndex {
  private readonly spendingInto = new Map<string, number[]>();
  private readonly createdIn = new Map<string, number[]>();
  private readonly ofAccount = new Map<number, number[]>();
  private readonly fees = new Map<string, FeeRow[]>();

  constructor(private readonly events: ChainEventList) {}

  /** Indexes chain event `i` of `events`. */
  addEvent(i: number): void {
    const event = this.events.at(i);
    if (event.spendingTxid !== null) push(this.spendingInto, event.spendingTxid, i);
    push(this.createdIn, txidOf(event.outpoint), i);
    push(this.ofAccount, event.accountId, i);
  }

  addFeeRow(row: FeeRow): void {
    push(this.fees, `${row.accountId}|${row.txid}`, row);
  }

  /** Events recording a spend into `txid`. */
  spendsInto(txid: string): ChainEvent[] {
    return this.eventsAt(this.spendingInto.get(txid));
  }

  /** Events about outputs of `txid`: their creation and their spends. */
  outputsOf(txid: string): ChainEvent[] {
    return this.eventsAt(this.createdIn.get(txid));
  }

  eventsOfAccount(accountId: number): ChainEvent[] {
    return this.eventsAt(this.ofAccount.get(accountId));
  }

  feeRowsOf(accountId: number, txid: string): readonly FeeRow[] {
    return this.fees.get(`${accountId}|${txid}`) ?? [];
  }

  private eventsAt(indices: readonly number[] | undefined): ChainEvent[] {
    return indices === undefined ? [] : indices.map((i) => this.events.at(i));
  }
}
