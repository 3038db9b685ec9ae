import { describe, expect, it } from 'vitest';
import { recordedEventSchema } from './recorded.js';

describe('recorded events', () => {
  it('reads version 1 (one per movement), still found in streams an older ledger wrote', () => {
    const v1 = { v: 1, movement_id: 'm1', node_id: 'n', kind: 'chain', account: 'wallet', outpoint: null, spending_txid: null, stream_seq: 3 };
    expect(recordedEventSchema.parse(v1)).toEqual(v1);
  });

  it('rejects a version 2 announcement without movements', () => {
    expect(recordedEventSchema.safeParse({ v: 2, node_id: 'n', kind: 'chain', stream_seq: 3, movements: [] }).success).toBe(false);
  });
});
