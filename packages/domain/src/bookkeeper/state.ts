import type { Problem } from './facts.js';
import type { ChainEvent, ChainEventList } from './chain-events.js';
import type { ChannelEventList } from './channel-events.js';
import type { FeeRowList } from './fee-rows.js';

export type { ChannelEvent } from './channel-events.js';
export type { ChainEvent } from './chain-events.js';

/** An account as CLN's bookkeeper tracks it. `id` is its creation order. */
export interface Account {
  readonly id: number;
  readonly name: string;
  peerId: string | null;
  weOpened: boolean;
  leased: boolean;
  /** The index among the chain events of its `channel_open` (or `channel_proposed`), the last one seen; -1: none. */
  openEventIndex: number;
  /** The index of its `channel_close` (not a splice's), the last one seen; -1: none. */
  closedEventIndex: number;
  /** The event at openEventIndex, made as read (the books keep the index, not an object with its strings). */
  readonly openEvent: ChainEvent | null;
  /** The event at closedEventIndex, made as read. */
  readonly closedEvent: ChainEvent | null;
  closeOutputCount: number;
  /** 0 = not resolved. */
  resolvedBlock: number;
  /** A penalty adjustment was recorded for its close (CLN repeats it on every re-check). */
  penaltyRecorded: boolean;
}

/** One on-chain fee delta: credit = the fee went up by that much, debit = down. Made on demand from the node's fee rows (`FeeRowList.at`). */
export interface FeeRow {
  readonly kind: 'fee';
  readonly order: number;
  readonly account: string;
  readonly accountId: number;
  readonly txid: string;
  readonly creditMsat: bigint;
  readonly debitMsat: bigint;
  readonly timestamp: number;
  readonly coinType: string;
  readonly updateCount: number;
}

/** Everything the bookkeeper knows about one node. */
export interface Books {
  readonly accounts: readonly Account[];
  readonly chainEvents: ChainEventList;
  readonly channelEvents: ChannelEventList;
  readonly feeRows: FeeRowList;
  readonly problems: readonly Problem[];
  /** Highest block height seen in any fact: our stand-in for the chain tip. */
  readonly tipBlockheight: number;
  /** Grows with every event or fee row added: equal versions of the same books are equal. */
  readonly version: number;
  /**
   * Σ credit and Σ debit per account id and coin type, over every chain and channel event; per
   * account, the coin types of its chain events first (sorted), then those only its channel
   * events have (as CLN lists them).
   */
  readonly totals: ReadonlyMap<number, ReadonlyMap<string, { readonly credit: bigint; readonly debit: bigint }>>;
}

/** The id of the `external` account; -1 while there is none. */
export function externalAccountId(books: Books): number {
  const external = books.accounts.find((a) => a.name === 'external');
  return external ? external.id : -1;
}

/** The indices of the `external` account's chain events, in event order (a fraction of all events: read through the index). */
export function externalEventIndices(books: Books): number[] {
  const id = externalAccountId(books);
  return id < 0 ? [] : books.chainEvents.ofAccountId(id);
}
