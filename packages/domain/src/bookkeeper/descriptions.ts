import { mergeByHeads } from './merge.js';
import { chainEventJson, channelEventJson, type Json } from './queries.js';
import type { ChainEvent, ChannelEvent } from './state.js';

interface EventLists {
  readonly chainEvents: readonly ChainEvent[];
  readonly channelEvents: readonly ChannelEvent[];
}

/**
 * The events a description edit applies to: by outpoint, the outputs created there (not their
 * spends); by payment id, every chain and channel event of that payment.
 */
export function eventsDescribedBy(books: EventLists, by: 'outpoint' | 'payment_id', key: string): (ChainEvent | ChannelEvent)[] {
  if (by === 'outpoint') return books.chainEvents.filter((e) => e.outpoint === key && e.creditMsat > 0n);
  return [...books.chainEvents.filter((e) => e.paymentId === key), ...books.channelEvents.filter((e) => e.paymentId === key)];
}

/** `{updated: [...]}` of `bkpr-editdescriptionby*`, in CLN's order. */
export function describedEventsJson(books: EventLists, by: 'outpoint' | 'payment_id', key: string): { updated: Json[] } {
  const events = eventsDescribedBy(books, by, key);
  const chain = events.filter((e): e is ChainEvent => e.kind === 'chain').sort((a, b) => a.order - b.order);
  const channel = events.filter((e): e is ChannelEvent => e.kind === 'channel').sort((a, b) => a.timestamp - b.timestamp || a.order - b.order);
  const merged = by === 'outpoint' ? chain : mergeByHeads(chain, channel, []);
  return { updated: merged.map((e) => (e.kind === 'chain' ? chainEventJson(e) : channelEventJson(e))) };
}
