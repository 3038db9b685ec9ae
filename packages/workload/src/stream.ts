import type { JsonObject } from './json.js';
import type { Rng } from './prng.js';
import type { NotificationKind } from './records.js';

/** One notification of a generated history, in the order it should be sent. */
export interface WorkloadItem {
  /** Position in the stream (0-based), after re-sends were inserted and the order shuffled. */
  readonly seq: number;
  /**
   * The node that sent it. For `utxo_deposit`/`utxo_spend`, whose body names no node, the node
   * whose plugin forwarded it: give it to the gateway as `?node_id=`.
   */
  readonly nodeId: string;
  /** The notification's name (the `method` of the golden cases). */
  readonly method: NotificationKind;
  /** The notification exactly as CLN (or the 3rd-party wallet plugin) sends it. */
  readonly body: JsonObject;
  /** An exact re-send of an earlier item (same body, same bytes). */
  readonly duplicate: boolean;
  /** A human-readable description (only when asked for, e.g. the demo). */
  readonly note?: string;
}

export type StreamItem = Omit<WorkloadItem, 'seq'>;

/**
 * Inserts exact re-sends: each item is sent again, with probability `rate`, 1–16 items later.
 * A `balance_snapshot` is re-sent right after itself, so that a re-send never lands after
 * movements the snapshot did not include.
 */
export function* withDuplicates(items: Iterable<StreamItem>, rate: number, rng: Rng): Generator<StreamItem> {
  if (rate <= 0) {
    yield* items;
    return;
  }
  let pending: { due: number; item: StreamItem }[] = [];
  let position = 0;
  for (const item of items) {
    yield item;
    position++;
    if (rng.chance(rate)) {
      const copy: StreamItem = { ...item, duplicate: true };
      if (item.method === 'balance_snapshot') yield copy;
      else pending.push({ due: position + rng.int(1, 16), item: copy });
    }
    if (pending.length > 0 && pending.some((p) => p.due <= position)) {
      const due = pending.filter((p) => p.due <= position);
      pending = pending.filter((p) => p.due > position);
      for (const p of due) yield p.item;
    }
  }
  for (const p of pending) yield p.item;
}

/**
 * Local shuffles: an item leaves a window of `window` + 1 items at random, but never more than
 * `window` places after its own position, so nothing moves farther than `window` places. A
 * `balance_snapshot` is a barrier: everything before it is sent before it, nothing after it is
 * sent before it (a snapshot compared against movements it does not reflect would rightly
 * produce journal entries and change the balances).
 */
export function* withReorder(items: Iterable<StreamItem>, window: number, rng: Rng): Generator<StreamItem> {
  if (window <= 0) {
    yield* items;
    return;
  }
  // In arrival order, with each item's arrival position.
  const buffer: { readonly at: number; readonly item: StreamItem }[] = [];
  let arrived = 0;
  let sent = 0;
  const flush = function* (): Generator<StreamItem> {
    const rest = rng.shuffle(buffer.splice(0));
    sent += rest.length;
    for (const r of rest) yield r.item;
  };
  for (const item of items) {
    if (item.method === 'balance_snapshot') {
      yield* flush();
      sent++;
      arrived++;
      yield item;
      continue;
    }
    buffer.push({ at: arrived++, item });
    if (buffer.length > window) {
      const oldest = buffer[0]!;
      const i = sent - oldest.at >= window ? 0 : rng.int(0, buffer.length - 1);
      const [chosen] = buffer.splice(i, 1);
      sent++;
      yield chosen!.item;
    }
  }
  yield* flush();
}
