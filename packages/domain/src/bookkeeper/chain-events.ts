import type { ChainFact } from './facts.js';

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

type StoredEvent = { -readonly [K in keyof ChainEvent]: ChainEvent[K] };

/** A node's chain events, in insertion order, read by index. */
export class ChainEventList implements Iterable<ChainEvent> {
  private readonly events: StoredEvent[] = [];

  /** `accountNames[id]`: the name of account `id`. */
  constructor(private readonly accountNames: { readonly length: number; readonly [id: number]: { readonly name: string } }) {}

  get length(): number {
    return this.events.length;
  }

  /** Adds an event at insertion order `order`; its index. */
  push(order: number, e: ChainEventFields): number {
    const index = this.events.length;
    // Every field spelled out: one object shape for every chain event.
    this.events.push({
      kind: 'chain',
      index,
      order,
      account: this.accountNames[e.accountId]!.name,
      accountId: e.accountId,
      tag: e.tag,
      extraTags: e.extraTags,
      creditMsat: e.creditMsat,
      debitMsat: e.debitMsat,
      outputMsat: e.outputMsat,
      paymentId: e.paymentId,
      timestamp: e.timestamp,
      coinType: e.coinType,
      outpoint: e.outpoint,
      spendingTxid: e.spendingTxid,
      blockheight: e.blockheight,
      originAccount: e.originAccount,
      source: e.source,
      description: e.description,
    });
    return index;
  }

  at(i: number): ChainEvent {
    return this.events[i]!;
  }

  *[Symbol.iterator](): Generator<ChainEvent> {
    for (let i = 0; i < this.events.length; i++) yield this.at(i);
  }

  filter(keep: (e: ChainEvent) => boolean): ChainEvent[] {
    const out: ChainEvent[] = [];
    for (const e of this) if (keep(e)) out.push(e);
    return out;
  }

  map<T>(f: (e: ChainEvent) => T): T[] {
    const out: T[] = [];
    for (const e of this) out.push(f(e));
    return out;
  }

  blockheightOf(i: number): number {
    return this.events[i]!.blockheight;
  }

  /** A send to `external` confirmed: the block its spend was seen in. */
  setBlockheight(i: number, blockheight: number): void {
    this.events[i]!.blockheight = blockheight;
  }

  setDescription(i: number, description: string): void {
    this.events[i]!.description = description;
  }
}
