import { describe, expect, it } from 'vitest';
import { validateNotifications } from './ingest.check.js';

// validateNotifications is the pure part: no bus, no database.
const node = '0266e4598d1d3c415f572a8488830b60f7e744ed9235eb0b1ba93283b315c03518';
const channelMvt = {
  coin_movement: {
    version: 2,
    node_id: node,
    type: 'channel_mvt',
    account_id: 'c'.repeat(64),
    credit_msat: 1000,
    debit_msat: 0,
    fees_msat: 0,
    tags: ['invoice'],
    timestamp: 1_700_000_000,
    coin_type: 'bcrt',
  },
};

describe('IngestService.validate', () => {
  it('normalizes every valid item, whatever its envelope', () => {
    const { movements, issues } = validateNotifications([channelMvt, { jsonrpc: '2.0', method: 'coin_movement', params: channelMvt }], null);
    expect(issues).toEqual([]);
    expect(movements).toHaveLength(2);
    expect(movements[0]!.id).toBe(movements[1]!.id);
  });

  it('refuses text PostgreSQL cannot store (an unpaired surrogate), naming where; a paired one is fine', () => {
    const account = (account_id: string) => ({ coin_movement: { ...channelMvt.coin_movement, account_id } });
    const enveloped = { jsonrpc: '2.0', method: 'coin_movement', params: account('a\ud800b') };
    const { movements, issues } = validateNotifications([account('zap \u26a1 \ud83d\ude00'), account('tail \udc00'), enveloped, account('a \\ud800 written out')], null);
    expect(issues).toEqual([
      { index: 1, path: 'coin_movement.account_id', message: expect.stringContaining('unpaired UTF-16 surrogate') },
      { index: 2, path: 'coin_movement.account_id', message: expect.stringContaining('unpaired UTF-16 surrogate') },
    ]);
    expect(movements.map((m) => m.account)).toEqual(['zap \u26a1 \ud83d\ude00', 'a \\ud800 written out']);
  });

  it('reports each invalid item by index and field path', () => {
    const { issues } = validateNotifications(
      [
        channelMvt,
        { coin_movement: { ...channelMvt.coin_movement, node_id: 'zz' } },
        { balance_sheet: {} },
        'not an object',
        { utxo_spend: { account: 'cold', outpoint: `${'ab'.repeat(32)}:0`, spending_txid: 'cd'.repeat(32), amount_msat: 1, coin_type: 'bc', timestamp: 1, blockheight: 1 } },
      ],
      null,
    );
    expect(issues).toEqual([
      { index: 1, path: 'coin_movement.node_id', message: 'expected a 66 hex char node id' },
      { index: 2, path: '', message: 'expected one of coin_movement, balance_snapshot, utxo_deposit, utxo_spend, got balance_sheet' },
      { index: 3, path: '', message: expect.stringContaining('expected an object') },
      { index: 4, path: 'node_id', message: expect.stringContaining('names no node') },
    ]);
  });
});
