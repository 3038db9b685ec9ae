import { AccountEventColumns } from './account-event-columns.js';
import { AmountColumn, EventChains, setNarrow, withCapacity, type NarrowArray } from './columns.js';
import type { ChannelFact } from './facts.js';

/** What a channel event is made of when the bookkeeper adds it (its order is given by the books). */
export interface ChannelEventFields extends Omit<ChannelFact, 'type' | 'seq' | 'account'> {
  readonly accountId: number;
  /** Written by the bookkeeper (journal entries, penalty adjustments), not by the node. */
  readonly derived: boolean;
}

/**
 * A stored channel event as readers see it: made on demand from the node's channel events
 * (`ChannelEventList.at`), so two reads of one event are equal objects but not the same
 * one — an event is known by its `index`.
 */
export interface ChannelEvent extends Omit<ChannelFact, 'type' | 'seq'> {
  readonly kind: 'channel';
  /** Its place among the node's channel events (they are kept in insertion order). */
  readonly index: number;
  /** Insertion order among all events. */
  readonly order: number;
  readonly accountId: number;
  /** The index of the other half of a rebalance. */
  readonly rebalancePartner: number | null;
  readonly derived: boolean;
}

/** Flags of an event (one byte each). */
const DERIVED = 1;
/** 2: described (AccountEventColumns). */
const REBALANCE = 4;

/** `partIds` value of an event with no part id; the largest marks a part id kept in `outlyingPartIds`. */
const NO_PART = 0;
const OUTLYING_PART = 0xffff_ffff;
/** Part ids from here on are kept in `outlyingPartIds`. */
const LARGEST_PART_ID = BigInt(OUTLYING_PART - 1);

/**
 * A node's channel events, in insertion order: read by index (`at`, or one field at a time
 * for the loops over all of them), found by payment id. Kept as columns, one typed array per
 * field (≈ 60 B an event instead of an object of ≈ 150 B with its bigints and payment id
 * string); the few fields most events lack (description, rebalance partner) in sparse maps.
 */
export class ChannelEventList extends AccountEventColumns<ChannelEvent> {
  private readonly fees = new AmountColumn();
  /** Part id + 1; NO_PART: none (in the narrowest array that holds them: part ids are small). */
  private partIds: NarrowArray = new Uint8Array(0);
  private readonly outlyingPartIds = new Map<number, bigint>();
  /**
   * The other half of each rebalance whose payment has another rebalance too (or none, or
   * another payment than its partner's): the halves of its payment's only rebalance find
   * each other by their payment instead (≈ 40 B a half in a Map: 41,650 halves at 1M).
   */
  private readonly rebalancePartners = new Map<number, number>();
  /** The events of each payment, by its number in `paymentIds`. */
  private readonly ofPayments = new EventChains();

  /** Adds an event at insertion order `order`; its index. */
  push(order: number, e: ChannelEventFields): number {
    const i = this.pushShared(order, e, e.derived ? DERIVED : 0);
    this.fees.set(i, e.feesMsat);
    this.setPartId(i, e.partId);
    if (e.paymentId !== null) this.ofPayments.add(this.paymentNumbers[i]! - 1, i);
    this.count++;
    return i;
  }

  protected override grow(capacity: number): void {
    super.grow(capacity);
    this.fees.grow(capacity);
    this.partIds = withCapacity(this.partIds, capacity);
  }

  private setPartId(i: number, partId: bigint | null): void {
    if (partId === null) this.partIds[i] = NO_PART;
    else if (partId >= 0n && partId < LARGEST_PART_ID) this.partIds = setNarrow(this.partIds, i, Number(partId) + 1);
    else {
      this.partIds = setNarrow(this.partIds, i, OUTLYING_PART);
      this.outlyingPartIds.set(i, partId);
    }
  }

  at(i: number): ChannelEvent {
    return {
      kind: 'channel',
      index: i,
      order: this.orderOf(i),
      account: this.accountOf(i),
      accountId: this.accountIdOf(i),
      tag: this.tagOf(i),
      extraTags: this.extraTagsOf(i),
      creditMsat: this.creditOf(i),
      debitMsat: this.debitOf(i),
      feesMsat: this.feesOf(i),
      paymentId: this.paymentIdOf(i),
      partId: this.partIdOf(i),
      timestamp: this.timestampOf(i),
      coinType: this.coinTypeOf(i),
      description: this.descriptionOf(i),
      rebalancePartner: this.rebalancePartnerOf(i),
      derived: (this.flags[i]! & DERIVED) !== 0,
    };
  }

  /** The indices of the events of payment `paymentId`, in insertion order. */
  ofPayment(paymentId: string): number[] {
    return this.ofPayments.of(this.paymentIdTable.find(paymentId));
  }

  /** The indices of the events with the payment id of event `i` (none if it has none), in insertion order. */
  ofSamePayment(i: number): number[] {
    return this.ofPayments.of(this.paymentNumbers[i]! - 1);
  }

  // One field of event `i`, for the loops over many events (the shared ones: AccountEventColumns).
  feesOf(i: number): bigint {
    return this.fees.get(i);
  }
  /** The fees as a number when below 2^53, else -1 (AmountColumn.exactNumber). */
  feesNumberOf(i: number): number {
    return this.fees.exactNumber(i);
  }
  partIdOf(i: number): bigint | null {
    const stored = this.partIds[i]!;
    return stored === NO_PART ? null : stored === OUTLYING_PART ? this.outlyingPartIds.get(i)! : BigInt(stored - 1);
  }
  rebalancePartnerOf(i: number): number | null {
    if (!this.isRebalance(i)) return null;
    const partner = this.rebalancePartners.get(i);
    if (partner !== undefined) return partner;
    for (const other of this.ofSamePayment(i)) if (other !== i && this.isRebalance(other)) return other;
    throw new Error(`channel event ${i}: a half of a rebalance without its other half`);
  }

  /** Whether event `i` is a half of a rebalance. */
  isRebalance(i: number): boolean {
    return (this.flags[i]! & REBALANCE) !== 0;
  }

  /** Pairs events `a` and `b` as the two halves of a rebalance. */
  pairAsRebalance(a: number, b: number): void {
    const payment = this.paymentNumbers[a]!;
    const onlyPair = a !== b && payment !== 0 && payment === this.paymentNumbers[b] && !this.ofSamePayment(a).some((other) => this.isRebalance(other));
    if (!onlyPair) {
      // The pairs of both payments so far, named before this one changes what their payments say.
      const named = [...this.ofSamePayment(a), ...this.ofSamePayment(b)].filter((other) => this.isRebalance(other) && !this.rebalancePartners.has(other));
      for (const [other, partner] of named.map((other) => [other, this.rebalancePartnerOf(other)!] as const)) this.rebalancePartners.set(other, partner);
      this.rebalancePartners.set(a, b);
      this.rebalancePartners.set(b, a);
    }
    this.flags[a]! |= REBALANCE;
    this.flags[b]! |= REBALANCE;
  }
}
