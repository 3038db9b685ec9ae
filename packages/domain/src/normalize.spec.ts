import { describe, expect, it } from 'vitest';
import { notificationBodySchema, unwrapEnvelope } from '@bkpr/contracts';
import { normalizeNotification } from './normalize.js';

const node = '0266e4598d1d3c415f572a8488830b60f7e744ed9235eb0b1ba93283b315c03518';
const txid = '37b92f9228cd5962fd2c24dd6d17c2160835e6fcefe1438597b9905198ef6c51';
const utxo = '0bfe64d58d8a550275b9b13fb27f6a2c74bbc9f573bde7c25df9b7e8d4f2154a';

const withdrawal = {
  coin_movement: {
    version: 2,
    node_id: node,
    type: 'chain_mvt',
    account_id: 'wallet',
    txid,
    utxo_txid: utxo,
    vout: 0,
    credit_msat: 0,
    debit_msat: '2000000sat',
    output_msat: 2_000_000_000,
    tags: ['withdrawal'],
    blockheight: 104,
    timestamp: 1_700_001_801,
    coin_type: 'bcrt',
  },
};

const parse = (input: unknown) => normalizeNotification(notificationBodySchema.parse(unwrapEnvelope(input)));

describe('normalizeNotification', () => {
  it('turns a v2 chain_mvt into a chain movement with outpoint and spending txid', () => {
    const [movement] = parse(withdrawal);
    expect(movement).toMatchObject({
      nodeId: node,
      kind: 'chain',
      account: 'wallet',
      primaryTag: 'withdrawal',
      extraTags: [],
      creditMsat: 0n,
      debitMsat: 2_000_000_000n,
      outputMsat: 2_000_000_000n,
      outpoint: `${utxo}:0`,
      spendingTxid: txid,
      blockheight: 104,
      timestamp: 1_700_001_801,
      coinType: 'bcrt',
    });
    expect(movement!.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('turns a v2 channel_mvt into a channel movement with payment id, part and fees', () => {
    const [movement] = parse({
      coin_movement: {
        version: 2,
        node_id: node,
        type: 'channel_mvt',
        account_id: 'c'.repeat(64),
        payment_hash: 'ab'.repeat(32),
        part_id: 0,
        credit_msat: 0,
        debit_msat: 250_025_000,
        fees_msat: 25_000,
        tags: ['invoice'],
        timestamp: 1_700_002_000,
        coin_type: 'bcrt',
      },
    });
    expect(movement).toMatchObject({ kind: 'channel', paymentId: 'ab'.repeat(32), partId: 0, feesMsat: 25_000n, debitMsat: 250_025_000n });
  });

  it('gives the same id to the same movement in any envelope, key order or amount notation', () => {
    const [bare] = parse(withdrawal);
    const reordered = Object.fromEntries(Object.entries(withdrawal.coin_movement).reverse());
    const [rpc] = parse({ jsonrpc: '2.0', method: 'coin_movement', params: { coin_movement: { ...reordered, debit_msat: '2000000000msat' } } });
    const [custom] = parse({ origin: 'bkpr-forwarder', payload: withdrawal });
    expect(rpc!.id).toBe(bare!.id);
    expect(custom!.id).toBe(bare!.id);
  });

  it('gives a different id when any content differs', () => {
    const [a] = parse(withdrawal);
    const [b] = parse({ coin_movement: { ...withdrawal.coin_movement, timestamp: 1_700_001_802 } });
    expect(a!.id).not.toBe(b!.id);
  });
});
