import { describe, expect, it } from 'vitest';
import { parseNotification } from '@bkpr/contracts';
import { descriptionEditMovement, normalizeNotification } from './normalize.js';

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

function parse(input: unknown, nodeId: string | null = null) {
  const parsed = parseNotification(input);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const normalized = normalizeNotification(parsed.notification, { nodeId });
  if (!normalized.ok) throw new Error(normalized.message);
  return normalized.movements;
}

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
    expect(movement).toMatchObject({ kind: 'channel', paymentId: 'ab'.repeat(32), partId: 0n, feesMsat: 25_000n, debitMsat: 250_025_000n });
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

  it('gives the v2 and the newer format of the same movement the same id', () => {
    const { txid: spending, utxo_txid, vout, tags, ...rest } = withdrawal.coin_movement;
    const [v2] = parse(withdrawal);
    const [newer] = parse({
      coin_movement: { ...rest, utxo: `${utxo_txid}:${vout}`, spending_txid: spending, primary_tag: tags[0], extra_tags: [] },
    });
    expect(newer).toEqual(v2);
  });

  it('names a movement numbered by CLN by node, kind and created_index', () => {
    const [movement] = parse({ coin_movement: { ...withdrawal.coin_movement, created_index: 42 } });
    expect(movement!.id).toBe(`${node}:chain:42`);
  });

  it('turns a balance_snapshot (object or list) into one snapshot movement per account', () => {
    const snapshot = {
      node_id: node,
      blockheight: 108,
      timestamp: 1_700_004_000,
      accounts: [
        { account_id: 'wallet', balance_msat: 3_999_500_000, coin_type: 'bcrt' },
        { account_id: 'c'.repeat(64), balance: '689975sat', coin_type: 'bcrt' },
      ],
    };
    const movements = parse({ balance_snapshot: snapshot });
    expect(movements.map((m) => [m.kind, m.account, m.balanceMsat, m.timestamp])).toEqual([
      ['snapshot', 'wallet', 3_999_500_000n, 1_700_004_000],
      ['snapshot', 'c'.repeat(64), 689_975_000n, 1_700_004_000],
    ]);
    expect(parse({ balance_snapshot: [snapshot] }).map((m) => m.id)).toEqual(movements.map((m) => m.id));
  });

  it('turns utxo_deposit / utxo_spend of a 3rd-party wallet into chain-like movements of the given node', () => {
    const deposit = {
      origin: 'my-wallet-plugin',
      payload: {
        utxo_deposit: {
          account: 'external',
          transfer_from: 'coldcard',
          outpoint: `${txid}:1`,
          amount_msat: '150000sat',
          coin_type: 'bc',
          timestamp: 1_700_000_100,
          blockheight: 0,
        },
      },
    };
    expect(parse(deposit, node)[0]).toMatchObject({
      nodeId: node,
      kind: 'utxo_deposit',
      account: 'external',
      primaryTag: 'deposit',
      creditMsat: 150_000_000n,
      outpoint: `${txid}:1`,
      originAccount: 'coldcard',
      blockheight: 0,
    });
    const spend = { utxo_spend: { account: 'coldcard', outpoint: `${utxo}:0`, spending_txid: txid, amount_msat: 1000, coin_type: 'bc', timestamp: 1, blockheight: 800_000 } };
    expect(parse(spend, node)[0]).toMatchObject({ kind: 'utxo_spend', debitMsat: 1000n, spendingTxid: txid, primaryTag: 'withdrawal' });
  });

  it('refuses a utxo event that names no node', () => {
    const parsed = parseNotification({ utxo_spend: { account: 'a', outpoint: `${utxo}:0`, spending_txid: txid, amount_msat: 1, coin_type: 'bc', timestamp: 1, blockheight: 1 } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(normalizeNotification(parsed.notification, { nodeId: null })).toMatchObject({ ok: false, path: 'node_id' });
  });
});

describe('descriptionEditMovement', () => {
  it('names each edit by its own id, so the same edit made again is a new fact (CLN applies it again)', () => {
    const first = descriptionEditMovement(node, 'payment_id', txid, 'coffee', 1_700_000_000, 'edit-1');
    const again = descriptionEditMovement(node, 'payment_id', txid, 'coffee', 1_700_000_000, 'edit-2');
    expect(first.id).toBe(`${node}:description:edit-1`);
    expect(again.id).not.toBe(first.id);
    expect({ ...again, id: first.id }).toEqual(first);
    expect(first).toMatchObject({ kind: 'description', account: 'payment_id', paymentId: txid, outpoint: null, description: 'coffee', creditMsat: 0n });
  });
});
