import { describe, expect, it } from 'vitest';
import { recordedEventSchema, type Movement } from '@bkpr/contracts';
import { announcementsOf, MOVEMENTS_PER_ANNOUNCEMENT } from './announcements.js';

const NODE_A = `02${'a'.repeat(64)}`;
const NODE_B = `03${'b'.repeat(64)}`;

function movement(id: string, nodeId: string, kind: Movement['kind']): Movement {
  return { id, nodeId, kind, account: 'wallet', outpoint: kind === 'chain' ? `${'c'.repeat(64)}:0` : null, spendingTxid: null } as Movement;
}

describe('announcementsOf', () => {
  it('announces a batch once per node and kind, movements in arrival order, up to the last stream sequence', () => {
    const batch = [
      { movement: movement('m3', NODE_A, 'chain'), streamSeq: 13n },
      { movement: movement('m1', NODE_A, 'chain'), streamSeq: 11n },
      { movement: movement('m2', NODE_B, 'chain'), streamSeq: 12n },
      { movement: movement('m4', NODE_A, 'channel'), streamSeq: 14n },
    ];
    const events = announcementsOf(batch).map((a) => a.event);
    expect(events.map((e) => [e.node_id, e.kind, e.stream_seq, e.movements.map((m) => m.movement_id)])).toEqual([
      [NODE_A, 'chain', 13, ['m1', 'm3']],
      [NODE_B, 'chain', 12, ['m2']],
      [NODE_A, 'channel', 14, ['m4']],
    ]);
    for (const e of events) expect(recordedEventSchema.parse(e)).toEqual(e);
  });

  it('gives the same movements the same msg-id, and other movements another', () => {
    const one = [{ movement: movement('m1', NODE_A, 'chain'), streamSeq: 1n }];
    const again = [{ movement: movement('m1', NODE_A, 'chain'), streamSeq: 7n }];
    const other = [{ movement: movement('m2', NODE_A, 'chain'), streamSeq: 1n }];
    expect(announcementsOf(again)[0]!.msgId).toBe(announcementsOf(one)[0]!.msgId);
    expect(announcementsOf(other)[0]!.msgId).not.toBe(announcementsOf(one)[0]!.msgId);
  });

  it('splits a large batch of one node and kind so no announcement outgrows a NATS message', () => {
    const batch = Array.from({ length: MOVEMENTS_PER_ANNOUNCEMENT + 1 }, (_, i) => ({ movement: movement(`m${i}`, NODE_A, 'channel'), streamSeq: BigInt(i + 1) }));
    const announcements = announcementsOf(batch);
    expect(announcements.map((a) => [a.event.movements.length, a.event.stream_seq])).toEqual([[MOVEMENTS_PER_ANNOUNCEMENT, MOVEMENTS_PER_ANNOUNCEMENT], [1, MOVEMENTS_PER_ANNOUNCEMENT + 1]]);
    const full = announcements[0]!.event;
    const realistic = { ...full, movements: full.movements.map((m) => ({ ...m, movement_id: 'f'.repeat(64), account: 'a'.repeat(64), outpoint: `${'c'.repeat(64)}:1`, spending_txid: 'd'.repeat(64), stream_seq: 123_456_789 })) };
    expect(JSON.stringify(realistic).length).toBeLessThan(512 * 1024);
  });
});
