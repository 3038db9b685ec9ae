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
  const groups = new Map<string, SequencedMovement[]>();
  for (const item of batch) {
    const key = `${item.movement.nodeId} ${item.movement.kind}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()].flatMap((group) => {
    const sorted = group.toSorted((a, b) => (a.streamSeq < b.streamSeq ? -1 : a.streamSeq > b.streamSeq ? 1 : 0));
    const chunks: SequencedMovement[][] = [];
    for (let i = 0; i < sorted.length; i += MOVEMENTS_PER_ANNOUNCEMENT) chunks.push(sorted.slice(i, i + MOVEMENTS_PER_ANNOUNCEMENT));
    return chunks.map(announcement);
  });
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
  const digest = createHash('sha256');
  for (const m of event.movements) digest.update(m.movement_id).update('\n');
  return { event, msgId: `recorded:${digest.digest('hex')}` };
}
