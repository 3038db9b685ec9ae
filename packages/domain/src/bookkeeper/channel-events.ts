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

interface StoredEvent extends Omit<ChannelEvent, 'description' | 'rebalancePartner'> {
  description: string | null;
  rebalancePartner: number | null;
}

/**
 * A node's channel events, in insertion order: read by index (`at`, or one field at a time
 * for the loops over all of them), found by payment id.
 */
export class ChannelEventList implements Iterable<ChannelEvent> {
  private readonly events: StoredEvent[] = [];
  /** Event indices by payment id: the one event of most payments, a list for the few with more. */
  private readonly byPayment = new Map<string, number | number[]>();

  /** `accountNames[id]`: the name of account `id`. */
  constructor(private readonly accountNames: { readonly length: number; readonly [id: number]: { readonly name: string } }) {}

  get length(): number {
    return this.events.length;
  }

  /** Adds an event at insertion order `order`; its index. */
  push(order: number, e: ChannelEventFields): number {
    const index = this.events.length;
    this.events.push({
      kind: 'channel',
      index,
      order,
      account: this.accountNames[e.accountId]!.name,
      accountId: e.accountId,
      tag: e.tag,
      extraTags: e.extraTags,
      creditMsat: e.creditMsat,
      debitMsat: e.debitMsat,
      feesMsat: e.feesMsat,
      paymentId: e.paymentId,
      partId: e.partId,
      timestamp: e.timestamp,
      coinType: e.coinType,
      description: e.description,
      rebalancePartner: null,
      derived: e.derived,
    });
    if (e.paymentId !== null) {
      const same = this.byPayment.get(e.paymentId);
      if (same === undefined) this.byPayment.set(e.paymentId, index);
      else if (Array.isArray(same)) same.push(index);
      else this.byPayment.set(e.paymentId, [same, index]);
    }
    return index;
  }

  at(i: number): ChannelEvent {
    return this.events[i]!;
  }

  *[Symbol.iterator](): Generator<ChannelEvent> {
    for (let i = 0; i < this.events.length; i++) yield this.at(i);
  }

  filter(keep: (e: ChannelEvent) => boolean): ChannelEvent[] {
    const out: ChannelEvent[] = [];
    for (const e of this) if (keep(e)) out.push(e);
    return out;
  }

  map<T>(f: (e: ChannelEvent) => T): T[] {
    const out: T[] = [];
    for (const e of this) out.push(f(e));
    return out;
  }

  /** The indices of the events of payment `paymentId`, in insertion order. */
  ofPayment(paymentId: string): number[] {
    const same = this.byPayment.get(paymentId);
    return same === undefined ? [] : Array.isArray(same) ? [...same] : [same];
  }

  /** The indices of every event, by timestamp, then insertion order. */
  indicesByTime(): number[] {
    const indices = Array.from({ length: this.events.length }, (_, i) => i);
    return indices.sort((a, b) => this.timestampOf(a) - this.timestampOf(b) || a - b);
  }

  // One field of event `i`, for the loops over many events.
  accountOf(i: number): string {
    return this.events[i]!.account;
  }
  accountIdOf(i: number): number {
    return this.events[i]!.accountId;
  }
  tagOf(i: number): string {
    return this.events[i]!.tag;
  }
  creditOf(i: number): bigint {
    return this.events[i]!.creditMsat;
  }
  debitOf(i: number): bigint {
    return this.events[i]!.debitMsat;
  }
  feesOf(i: number): bigint {
    return this.events[i]!.feesMsat;
  }
  paymentIdOf(i: number): string | null {
    return this.events[i]!.paymentId;
  }
  timestampOf(i: number): number {
    return this.events[i]!.timestamp;
  }
  coinTypeOf(i: number): string {
    return this.events[i]!.coinType;
  }
  descriptionOf(i: number): string | null {
    return this.events[i]!.description;
  }
  rebalancePartnerOf(i: number): number | null {
    return this.events[i]!.rebalancePartner;
  }

  setDescription(i: number, description: string): void {
    this.events[i]!.description = description;
  }

  /** Pairs events `a` and `b` as the two halves of a rebalance. */
  pairAsRebalance(a: number, b: number): void {
    this.events[a]!.rebalancePartner = b;
    this.events[b]!.rebalancePartner = a;
  }
}
