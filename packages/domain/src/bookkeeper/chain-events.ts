import { AccountEventColumns } from './account-event-columns.js';
import { AmountColumn, EventChains, Interner, WholeNumberColumn, withCapacity } from './columns.js';
import type { ChainFact } from './facts.js';
import { HexIds } from './hex-ids.js';
import { txidOf } from './txid.js';

/** What a chain event is made of when the bookkeeper adds it (its order is given by the books). */
export interface ChainEventFields extends Omit<ChainFact, 'type' | 'seq' | 'account' | 'peerId' | 'outputCount'> {
  readonly accountId: number;
}

/**
 * A stored chain event as readers see it: the fact plus what the bookkeeper derives on it
 * (not the sequence, nor the peer and output count, which go to the account). Made on demand
 * from the node's chain events (`ChainEventList.at`): known by its `index`, not by identity.
 */
export interface ChainEvent extends Omit<ChainFact, 'type' | 'seq' | 'peerId' | 'outputCount'> {
  readonly kind: 'chain';
  /** Its place among the node's chain events (kept in insertion order). */
  readonly index: number;
  /** Insertion order among all events. */
  readonly order: number;
  readonly accountId: number;
}

/** Flags of an event (one byte each). */
const FROM_UTXO = 1;
/** 2: described (AccountEventColumns). */
/** Its outpoint is not `<64 hex>:<vout>`: kept as text in `outpointTexts`. */
const OUTPOINT_AS_TEXT = 4;
/** A send to `external` whose block was given by the confirmation of its spend (confirmBlockheight), not by its fact. */
const CONFIRMED_BY_SPEND = 32;

/** `<64 lowercase hex>:<vout>`, vout written as `Number` writes it (kept as such when below 2^32). */
const CANONICAL_OUTPOINT = /^[0-9a-f]{64}:(0|[1-9][0-9]{0,9})$/;

/**
 * A node's chain events, in insertion order, read by index, and found by the txid that created
 * them, the txid that spends them, or their account. Kept as columns, one typed array per field;
 * txids and payment ids as numbers of `HexIds` tables (32 bytes each), an outpoint as its txid's
 * number and its vout; descriptions in a sparse map.
 */
export class ChainEventList extends AccountEventColumns<ChainEvent> {
  private readonly blockheights = new WholeNumberColumn();
  private readonly outputs = new AmountColumn();
  /** Number + 1 in `originNames` of the origin account; 0: none. */
  private origins = new Uint32Array(0);
  /** Number in `txids` of the outpoint's txid (`txidOf(outpoint)`), and the outpoint's vout. */
  private outpointTxids = new Uint32Array(0);
  private vouts = new Uint32Array(0);
  /** Number + 1 in `txids` of the spending txid; 0: none. */
  private spendingTxids = new Uint32Array(0);
  private readonly outpointTexts = new Map<number, string>();
  private readonly originNames = new Interner();
  private readonly txids = new HexIds();
  private readonly createdIn = new EventChains();
  private readonly spendingInto = new EventChains();
  private readonly ofAccount = new EventChains();

  /** Adds an event at insertion order `order`; its index. */
  push(order: number, e: ChainEventFields): number {
    const i = this.pushShared(order, e, e.source === 'utxo' ? FROM_UTXO : 0);
    this.blockheights.set(i, e.blockheight);
    this.outputs.set(i, e.outputMsat);
    this.origins[i] = e.originAccount === null ? 0 : this.originNames.idOf(e.originAccount) + 1;
    const vout = CANONICAL_OUTPOINT.test(e.outpoint) ? Number(e.outpoint.slice(65)) : -1;
    if (vout >= 0 && vout <= 0xffff_ffff) {
      this.outpointTxids[i] = this.txids.add(e.outpoint.slice(0, 64));
      this.vouts[i] = vout;
    } else {
      this.outpointTxids[i] = this.txids.add(txidOf(e.outpoint));
      this.vouts[i] = 0;
      this.flags[i]! |= OUTPOINT_AS_TEXT;
      this.outpointTexts.set(i, e.outpoint);
    }
    this.spendingTxids[i] = e.spendingTxid === null ? 0 : this.txids.add(e.spendingTxid) + 1;
    this.createdIn.add(this.outpointTxids[i]!, i);
    if (e.spendingTxid !== null) this.spendingInto.add(this.spendingTxids[i]! - 1, i);
    this.ofAccount.add(e.accountId, i);
    this.count++;
    return i;
  }

  protected override grow(capacity: number): void {
    super.grow(capacity);
    this.blockheights.grow(capacity);
    this.outputs.grow(capacity);
    this.origins = withCapacity(this.origins, capacity);
    this.outpointTxids = withCapacity(this.outpointTxids, capacity);
    this.vouts = withCapacity(this.vouts, capacity);
    this.spendingTxids = withCapacity(this.spendingTxids, capacity);
  }

  at(i: number): ChainEvent {
    return {
      kind: 'chain',
      index: i,
      order: this.orderOf(i),
      account: this.accountOf(i),
      accountId: this.accountIdOf(i),
      tag: this.tagOf(i),
      extraTags: this.extraTagsOf(i),
      creditMsat: this.creditOf(i),
      debitMsat: this.debitOf(i),
      outputMsat: this.outputs.get(i),
      paymentId: this.paymentIdOf(i),
      timestamp: this.timestampOf(i),
      coinType: this.coinTypeOf(i),
      outpoint: this.outpointOf(i),
      spendingTxid: this.spendingTxidOf(i),
      blockheight: this.blockheights.get(i),
      originAccount: this.originAccountOf(i),
      source: this.sourceOf(i),
      description: this.descriptionOf(i),
    };
  }

  /** The events about outputs of `txid` (their creation and their spends), in insertion order. */
  createdInTx(txid: string): number[] {
    return this.createdIn.of(this.txids.find(txid));
  }

  /** The events recording a spend into `txid`, in insertion order. */
  spendingIntoTx(txid: string): number[] {
    return this.spendingInto.of(this.txids.find(txid));
  }

  /** Whether any event records a spend into the transaction that created event `i`'s output. */
  isOutputTxSpentInto(i: number): boolean {
    return this.spendingInto.has(this.outpointTxids[i]!);
  }

  ofAccountId(accountId: number): number[] {
    return this.ofAccount.of(accountId);
  }

  hasEventsOfAccount(accountId: number): boolean {
    return this.ofAccount.has(accountId);
  }

  // One field of event `i`, for the loops over many events (the shared ones: AccountEventColumns).
  originAccountOf(i: number): string | null {
    const origin = this.origins[i]!;
    return origin === 0 ? null : this.originNames.valueOf(origin - 1);
  }
  hasOriginAccount(i: number): boolean {
    return this.origins[i] !== 0;
  }
  sourceOf(i: number): ChainFact['source'] {
    return (this.flags[i]! & FROM_UTXO) !== 0 ? 'utxo' : 'coin_movement';
  }

  // Txids by their numbers in `txidTable`, to write them from their bytes.
  /** The number of event `i`'s outpoint's txid, -1 when the outpoint is kept as text (outpointOf); its vout is voutOf. */
  outpointTxidNumberOf(i: number): number {
    return (this.flags[i]! & OUTPOINT_AS_TEXT) !== 0 ? -1 : this.outpointTxids[i]!;
  }
  voutOf(i: number): number {
    return this.vouts[i]!;
  }
  /** -1: none. */
  spendingTxidNumberOf(i: number): number {
    return this.spendingTxids[i]! - 1;
  }
  get txidTable(): HexIds {
    return this.txids;
  }

  /** The txid of event `i`'s outpoint (txidOf(outpointOf(i)), not made from the outpoint's text). */
  outpointTxidOf(i: number): string {
    return this.txids.textOf(this.outpointTxids[i]!);
  }
  outpointOf(i: number): string {
    return (this.flags[i]! & OUTPOINT_AS_TEXT) !== 0 ? this.outpointTexts.get(i)! : `${this.txids.textOf(this.outpointTxids[i]!)}:${this.vouts[i]!}`;
  }
  spendingTxidOf(i: number): string | null {
    const spending = this.spendingTxids[i]!;
    return spending === 0 ? null : this.txids.textOf(spending - 1);
  }
  isSpend(i: number): boolean {
    return this.spendingTxids[i] !== 0;
  }
  blockheightOf(i: number): number {
    return this.blockheights.get(i);
  }

  /** The block event `i`'s fact gave it (0 for a send confirmed since: confirmBlockheight). */
  recordedBlockheightOf(i: number): number {
    return (this.flags[i]! & CONFIRMED_BY_SPEND) !== 0 ? 0 : this.blockheights.get(i);
  }

  /** A send to `external` (recorded with block 0) confirmed: the block its spend was seen in. */
  confirmBlockheight(i: number, blockheight: number): void {
    if (this.recordedBlockheightOf(i) !== 0) throw new Error(`chain event ${i}: confirmed, but recorded at block ${this.blockheights.get(i)}`);
    this.flags[i]! |= CONFIRMED_BY_SPEND;
    this.blockheights.set(i, blockheight);
  }
}
