import type { ChainEvent, ChainEventList } from './chain-events.js';
import type { Account } from './state.js';

/**
 * An account as the bookkeeper keeps it: its channel's opening and close as indices of its
 * chain events, made into events only when read (an event object with its outpoint and txid
 * strings is ≈ 500 B, and almost every channel account had two).
 */
export class BookAccount implements Account {
  peerId: string | null = null;
  weOpened = false;
  leased = false;
  openEventIndex = -1;
  closedEventIndex = -1;
  closeOutputCount = 0;
  resolvedBlock = 0;
  penaltyRecorded = false;

  /** Private (#): not one of the account's own properties, so no copy or comparison walks the events. */
  readonly #events: ChainEventList;

  constructor(
    readonly id: number,
    readonly name: string,
    events: ChainEventList,
  ) {
    this.#events = events;
  }

  get openEvent(): ChainEvent | null {
    return this.openEventIndex < 0 ? null : this.#events.at(this.openEventIndex);
  }

  get closedEvent(): ChainEvent | null {
    return this.closedEventIndex < 0 ? null : this.#events.at(this.closedEventIndex);
  }
}
