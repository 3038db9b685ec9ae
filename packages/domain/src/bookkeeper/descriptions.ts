import { mergeByHeads } from './merge.js';
import { chainEventJson, channelEventJson, type Json } from './queries.js';
import type { ChainEvent, ChainEventList } from './chain-events.js';
import type { ChannelEventList } from './channel-events.js';

interface EventLists {
  readonly chainEvents: ChainEventList;
  readonly channelEvents: ChannelEventList;
}

/**
 * The events a description edit applies to: by outpoint, the outputs created there (not their
 * spends); by payment id, every chain and channel event of that payment (channel events by index).
 */
export function eventsDescribedBy(books: EventLists, by: 'outpoint' | 'payment_id', key: string): { chain: ChainEvent[]; channel: number[] } {
  if (by === 'outpoint') return { chain: books.chainEvents.filter((e) => e.outpoint === key && e.creditMsat > 0n), channel: [] };
  return { chain: books.chainEvents.filter((e) => e.paymentId === key), channel: books.channelEvents.ofPayment(key) };
}

/** `{updated: [...]}` of `bkpr-editdescriptionby*`, in CLN's order. */
export function describedEventsJson(books: EventLists, by: 'outpoint' | 'payment_id', key: string): { updated: Json[] } {
  const events = eventsDescribedBy(books, by, key);
  const chain = [...events.chain].sort((a, b) => a.order - b.order);
  const channel = events.channel.map((i) => books.channelEvents.at(i)).sort((a, b) => a.timestamp - b.timestamp || a.order - b.order);
  const merged = by === 'outpoint' ? chain : mergeByHeads(chain, channel, []);
  return { updated: merged.map((e) => (e.kind === 'chain' ? chainEventJson(e) : channelEventJson(e))) };
}
