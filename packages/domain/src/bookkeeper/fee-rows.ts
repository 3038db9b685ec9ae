import { AmountColumn, EventChains, Interner, NumberMap, setNarrow, WholeNumberColumn, withCapacity, type NarrowArray } from './columns.js';
import type { HexIds } from './hex-ids.js';
import type { Account, FeeRow } from './state.js';

/** What a fee row is made of when the bookkeeper adds it (its account is given by id; its order by the books). */
export type FeeRowFields = Omit<FeeRow, 'kind' | 'order' | 'account'>;

/**
 * The fee rows readers go through, by index: the books' own (FeeRowList) or a selection of
 * them (FeeRowList.where). Fields read one at a time, for the loops over many rows; `at` makes
 * a row object.
 */
export interface FeeRows {
  readonly length: number;
  at(i: number): FeeRow;
  accountIdOf(i: number): number;
  /** The number of the row's txid in the books' txid table: equal numbers, equal txids. */
  txidNumberOf(i: number): number;
  txidOf(i: number): string;
  /** Rows `i` and `j` by their txids as CLN stores them (compareTxidsAsStored). */
  compareTxidsAsStored(i: number, j: number): number;
  accountOf(i: number): string;
  timestampOf(i: number): number;
  updateCountOf(i: number): number;
  /** The row's credit less its debit. */
  netOf(i: number): bigint;
}

/**
 * A node's on-chain fee rows, in insertion order, kept as columns (≈ 35 B a row instead of an
 * object with its strings and bigints, ≈ 300 B): the account as its id, the txid as its number in
 * the chain events' txid table, amounts in AmountColumns. Rows are made as they are read (`at`);
 * the rows of a transaction are chained through the list, so setting a fee reads only its own.
 */
export class FeeRowList implements FeeRows, Iterable<FeeRow> {
  private count = 0;
  private orders = new Uint32Array(0);
  private accountIds = new Uint32Array(0);
  private txidNumbers = new Uint32Array(0);
  private readonly credits = new AmountColumn();
  private readonly debits = new AmountColumn();
  private readonly timestamps = new WholeNumberColumn();
  private coinTypes: NarrowArray = new Uint8Array(0);
  private updateCounts: NarrowArray = new Uint8Array(0);
  private readonly coinTypeNames = new Interner();
  /** The row before of the same txid, -1: none; per txid number, the last row (a transaction has a few rows at most). */
  private previousOfTx = new Int32Array(0);
  private readonly lastOfTx = new NumberMap();
  private readonly ofAccount = new EventChains();

  constructor(
    private readonly accounts: readonly Account[],
    private readonly txids: HexIds,
  ) {}

  get length(): number {
    return this.count;
  }

  /** Adds a row at insertion order `order`; its index. */
  push(order: number, row: FeeRowFields): number {
    const i = this.count;
    if (i === this.orders.length) this.grow(i + 1);
    if (!Number.isInteger(order) || order < 0 || order > 0xffff_ffff) throw new Error(`fee row order ${order}: expected a whole number below 2^32`);
    if (!Number.isInteger(row.updateCount) || row.updateCount < 0 || row.updateCount > 0xffff_ffff) throw new Error(`fee row update count ${row.updateCount}: expected a whole number below 2^32`);
    this.orders[i] = order;
    this.accountIds[i] = row.accountId;
    const txid = this.txids.add(row.txid);
    this.txidNumbers[i] = txid;
    this.credits.set(i, row.creditMsat);
    this.debits.set(i, row.debitMsat);
    this.timestamps.set(i, row.timestamp);
    this.coinTypes = setNarrow(this.coinTypes, i, this.coinTypeNames.idOf(row.coinType));
    this.updateCounts = setNarrow(this.updateCounts, i, row.updateCount);
    this.previousOfTx[i] = this.lastOfTx.get(txid, -1);
    this.lastOfTx.set(txid, i);
    this.ofAccount.add(row.accountId, i);
    this.count++;
    return i;
  }

  private grow(capacity: number): void {
    this.orders = withCapacity(this.orders, capacity);
    this.accountIds = withCapacity(this.accountIds, capacity);
    this.txidNumbers = withCapacity(this.txidNumbers, capacity);
    this.credits.grow(capacity);
    this.debits.grow(capacity);
    this.timestamps.grow(capacity);
    this.coinTypes = withCapacity(this.coinTypes, capacity);
    this.updateCounts = withCapacity(this.updateCounts, capacity);
    this.previousOfTx = withCapacity(this.previousOfTx, capacity);
  }

  at(i: number): FeeRow {
    if (!(i >= 0 && i < this.count)) throw new RangeError(`fee row ${i} of ${this.count}`);
    const accountId = this.accountIds[i]!;
    // The fields in the order the rows had as objects (their JSON is compared).
    return {
      account: this.accounts[accountId]!.name,
      accountId,
      txid: this.txidOf(i),
      creditMsat: this.credits.get(i),
      debitMsat: this.debits.get(i),
      timestamp: this.timestamps.get(i),
      coinType: this.coinTypeOf(i),
      updateCount: this.updateCounts[i]!,
      kind: 'fee',
      order: this.orders[i]!,
    };
  }

  *[Symbol.iterator](): Iterator<FeeRow> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  /** The rows from `start` to `end` (not included), as objects. */
  slice(start = 0, end = this.count): FeeRow[] {
    const out: FeeRow[] = [];
    for (let i = Math.max(0, start); i < Math.min(end, this.count); i++) out.push(this.at(i));
    return out;
  }

  map<T>(fn: (row: FeeRow, i: number) => T): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i++) out.push(fn(this.at(i), i));
    return out;
  }

  some(fn: (row: FeeRow, i: number) => boolean): boolean {
    for (let i = 0; i < this.count; i++) if (fn(this.at(i), i)) return true;
    return false;
  }

  /** The rows whose index passes `keep`, as FeeRows read through this list. */
  where(keep: (i: number) => boolean): FeeRowSelection {
    const indices: number[] = [];
    for (let i = 0; i < this.count; i++) if (keep(i)) indices.push(i);
    return new FeeRowSelection(this, Int32Array.from(indices));
  }

  /** The indices of account `accountId`'s rows, in insertion order. */
  ofAccountId(accountId: number): number[] {
    return this.ofAccount.of(accountId);
  }

  /** The indices of the rows of `txid` (any account), in insertion order. */
  ofTx(txid: string): number[] {
    const out: number[] = [];
    for (let i = this.lastOfTxid(txid); i >= 0; i = this.previousOfTx[i]!) out.push(i);
    return out.reverse();
  }

  /** The fee (account, txid) has been charged so far (the sum of its deltas), and its last update count (0: none). */
  feeOf(accountId: number, txid: string): { readonly paidMsat: bigint; readonly lastUpdate: number } {
    let paidMsat = 0n;
    let lastUpdate = 0;
    for (let i = this.lastOfTxid(txid); i >= 0; i = this.previousOfTx[i]!) {
      if (this.accountIds[i] !== accountId) continue;
      paidMsat += this.netOf(i);
      lastUpdate = Math.max(lastUpdate, this.updateCounts[i]!);
    }
    return { paidMsat, lastUpdate };
  }

  private lastOfTxid(txid: string): number {
    const number = this.txids.find(txid);
    return number < 0 ? -1 : this.lastOfTx.get(number, -1);
  }

  accountIdOf(i: number): number {
    return this.accountIds[i]!;
  }
  accountOf(i: number): string {
    return this.accounts[this.accountIds[i]!]!.name;
  }
  txidNumberOf(i: number): number {
    return this.txidNumbers[i]!;
  }
  txidOf(i: number): string {
    return this.txids.textOf(this.txidNumbers[i]!);
  }
  compareTxidsAsStored(i: number, j: number): number {
    return this.txids.compareAsStored(this.txidNumbers[i]!, this.txidNumbers[j]!);
  }
  timestampOf(i: number): number {
    return this.timestamps.get(i);
  }
  updateCountOf(i: number): number {
    return this.updateCounts[i]!;
  }
  coinTypeOf(i: number): string {
    return this.coinTypeNames.valueOf(this.coinTypes[i]!);
  }
  netOf(i: number): bigint {
    return this.credits.get(i) - this.debits.get(i);
  }
}

/** Some rows of a FeeRowList (by their indices in it, in the order given), read through it. */
export class FeeRowSelection implements FeeRows {
  constructor(
    private readonly rows: FeeRowList,
    private readonly indices: Int32Array,
  ) {}

  get length(): number {
    return this.indices.length;
  }
  at(k: number): FeeRow {
    return this.rows.at(this.indices[k]!);
  }
  accountIdOf(k: number): number {
    return this.rows.accountIdOf(this.indices[k]!);
  }
  txidNumberOf(k: number): number {
    return this.rows.txidNumberOf(this.indices[k]!);
  }
  txidOf(k: number): string {
    return this.rows.txidOf(this.indices[k]!);
  }
  compareTxidsAsStored(k: number, l: number): number {
    return this.rows.compareTxidsAsStored(this.indices[k]!, this.indices[l]!);
  }
  accountOf(k: number): string {
    return this.rows.accountOf(this.indices[k]!);
  }
  timestampOf(k: number): number {
    return this.rows.timestampOf(this.indices[k]!);
  }
  updateCountOf(k: number): number {
    return this.rows.updateCountOf(this.indices[k]!);
  }
  netOf(k: number): bigint {
    return this.rows.netOf(this.indices[k]!);
  }
}
