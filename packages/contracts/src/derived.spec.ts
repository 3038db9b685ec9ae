import { describe, expect, it } from 'vitest';
import { asyncApiDocument } from './asyncapi.js';
import { derivedEventSchema } from './derived.js';

const node = '02' + 'aa'.repeat(32);

describe('derivedEventSchema', () => {
  it('reads an internal_transfer v1: the output, its amount, the sending and the receiving account', () => {
    const event = {
      v: 1, kind: 'internal_transfer', node_id: node, outpoint: `${'cd'.repeat(32)}:0`, txid: 'cd'.repeat(32), amount_msat: '700000', currency: 'bc',
      from: { node_id: node, account: 'wallet' }, to: { node_id: 'cold-storage', account: 'cold' }, blockheight: 110, timestamp: 1_700_000_000,
    };
    expect(derivedEventSchema.parse(event)).toEqual(event);
    expect(derivedEventSchema.safeParse({ ...event, to: { node_id: node } }).success).toBe(false);
  });

  it('still reads the kinds announced before it, unchanged', () => {
    const fee = { v: 1, kind: 'onchain_fee', node_id: node, account: 'wallet', txid: 'cd'.repeat(32), update_count: 1, credit_msat: '1', debit_msat: '0', currency: 'bc', timestamp: 1 };
    expect(derivedEventSchema.parse(fee)).toEqual(fee);
  });

  it('is listed in the AsyncAPI document among the derived kinds', () => {
    const derived = (asyncApiDocument('bkpr')['channels'] as Record<string, { parameters?: { kind?: { enum?: string[] } } }>)['derived'];
    expect(derived?.parameters?.kind?.enum).toEqual(['onchain_fee', 'external_finalized', 'channel_resolved', 'problem', 'internal_transfer']);
  });
});
