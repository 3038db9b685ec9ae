import type { ChainEvent, FeeRow } from './state.js';
import { txidOf } from './txid.js';

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

/**
 * Lookups the bookkeeping does after every event, kept as maps so a replay stays linear in
 * the number of facts: chain events by the txid that spends them, by the txid that created
 * them, by account; fee rows by (account, txid).
 */
export class ChainIndex {
  private readonly spendingInto = new Map<string, ChainEvent[]>();
  private readonly createdIn = new Map<string, ChainEvent[]>();
  private readonly ofAccount = new Map<number, ChainEvent[]>();
  private readonly fees = new Map<string, FeeRow[]>();

  addEvent(event: ChainEvent): void {
    if (event.spendingTxid !== null) push(this.spendingInto, event.spendingTxid, event);
    push(this.createdIn, txidOf(event.outpoint), event);
    push(this.ofAccount, event.accountId, event);
  }

  addFeeRow(row: FeeRow): void {
    push(this.fees, `${row.accountId}|${row.txid}`, row);
  }

  /** Events recording a spend into `txid`. */
  spendsInto(txid: string): readonly ChainEvent[] {
    return this.spendingInto.get(txid) ?? [];
  }

  /** Events about outputs of `txid`: their creation and their spends. */
  outputsOf(txid: string): readonly ChainEvent[] {
    return this.createdIn.get(txid) ?? [];
  }

  eventsOfAccount(accountId: number): readonly ChainEvent[] {
    return this.ofAccount.get(accountId) ?? [];
  }

  feeRowsOf(accountId: number, txid: string): readonly FeeRow[] {
    return this.fees.get(`${accountId}|${txid}`) ?? [];
  }
}
