import { createHash } from 'node:crypto';
import type { RecordedEventV2 } from '@bkpr/contracts';
import type { SequencedMovement } from '@bkpr/persistence';

export interface Announcement {
  readonly event: RecordedEventV2;
  /** Nats-Msg-Id: a digest of the announced movement ids. */
  readonly msgId: string;
}

/**
 * Movements one announcement lists at most: about 350 bytes each, so an announcement stays
 * well below NATS's default 1 MB payload limit whatever the batch size.
 */
export const MOVEMENTS_PER_ANNOUNCEMENT = 1_000;

/**
 * The `recorded` announcements of one committed batch: one per node and kind (more when it
 * stored over MOVEMENTS_PER_ANNOUNCEMENT of them), listing its movements in arrival order.
 */
export function announcementsOf(batch: readonly SequencedMovement[]): Announcement[] {
  // Groups in the order their first movement came, found by node, then kind (no key made per movement).
  const groups: SequencedMovement[][] = [];
  const byNode = new Map<string, Map<string, SequencedMovement[]>>();
  for (const item of batch) {
    const { nodeId, kind } = item.movement;
    let byKind = byNode.get(nodeId);
    if (byKind === undefined) byNode.set(nodeId, (byKind = new Map()));
    let group = byKind.get(kind);
    if (group === undefined) {
      byKind.set(kind, (group = []));
      groups.push(group);
    }
    group.push(item);
  }
  return groups.flatMap((group) => {
    const sorted = inArrivalOrder(group) ? group : group.toSorted((a, b) => (a.streamSeq < b.streamSeq ? -1 : a.streamSeq > b.streamSeq ? 1 : 0));
    const chunks: SequencedMovement[][] = [];
    for (let i = 0; i < sorted.length; i += MOVEMENTS_PER_ANNOUNCEMENT) chunks.push(sorted.slice(i, i + MOVEMENTS_PER_ANNOUNCEMENT));
    return chunks.map(announcement);
  });
}

/** Whether `items` are by stream sequence already (a fetched batch usually is). */
function inArrivalOrder(items: readonly SequencedMovement[]): boolean {
  for (let i = 1; i < items.length; i++) if (items[i - 1]!.streamSeq > items[i]!.streamSeq) return false;
  return true;
}

function announcement(items: readonly SequencedMovement[]): Announcement {
  const { nodeId, kind } = items[0]!.movement;
  const event: RecordedEventV2 = {
    v: 2,
    node_id: nodeId,
    kind,
    stream_seq: Number(items.at(-1)!.streamSeq),
    movements: items.map(({ movement: m, streamSeq }) => ({
      movement_id: m.id,
      account: m.account,
      outpoint: m.outpoint,
      spending_txid: m.spendingTxid,
      stream_seq: Number(streamSeq),
    })),
  };
  // Each id and a newline, hashed as one text (one update per id cost more than the hashing).
  let ids = '';
  for (const m of event.movements) ids += `${m.movement_id}\n`;
  return { event, msgId: `recorded:${createHash('sha256').update(ids).digest('hex')}` };
}
