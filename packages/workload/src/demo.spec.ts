import { parseNotification } from '@bkpr/contracts';
import { describe, expect, it } from 'vitest';
import { DEMO_NODE_ID, demoExpected, demoHistory, demoItems } from './demo.js';
import { netFlowMsat } from './expected.js';
import { foldBalances } from './fold.js';

describe('demo history', () => {
  const items = demoItems({ include: 'all' });

  it('is one node, two channels, about thirty notifications, each explained', () => {
    expect(items.length).toBeGreaterThanOrEqual(25);
    expect(items.length).toBeLessThanOrEqual(35);
    expect(new Set(items.map((i) => i.nodeId))).toEqual(new Set([DEMO_NODE_ID]));
    const expected = demoExpected();
    expect(expected.balances.filter((b) => b.accountKind === 'channel')).toHaveLength(2);
    for (const item of items) expect(item.note?.length ?? 0).toBeGreaterThan(10);
    expect(new Set(items.map((i) => i.method))).toEqual(new Set(['coin_movement', 'balance_snapshot', 'utxo_deposit', 'utxo_spend']));
  });

  it('is accepted by the gateway schema, and adds up', () => {
    for (const body of demoHistory()) expect(parseNotification(body).ok).toBe(true);
    // Today the gateway schema takes every kind, so nothing is filtered out.
    expect(demoHistory()).toHaveLength(items.length);
    const expected = demoExpected();
    const fold = foldBalances(items);
    expect(fold.snapshotMismatches).toEqual([]);
    for (const row of expected.balances) {
      const b = fold.balances.get(`${row.nodeId}|${row.account}|${row.coinType}`)!;
      expect(b.creditMsat + b.ignoredCreditMsat - b.debitMsat - b.ignoredDebitMsat).toBe(row.balanceMsat);
    }
    expect(expected.nodes[0]!.balanceTotalMsat).toBe(netFlowMsat(expected.nodes[0]!));
    expect(expected.nodes[0]!.routingFeesEarnedMsat).toBe(1_000n);
    expect(expected.nodes[0]!.rebalanceFeesMsat).toBe(500n);
  });

  it('is stable (the launcher and docs may quote it)', () => {
    expect(demoHistory({ include: 'all' })).toEqual(items.map((i) => i.body));
    expect(JSON.stringify(demoHistory({ include: 'all' }))).toBe(JSON.stringify(demoHistory({ include: 'all' })));
    expect(items[0]!.body).toMatchObject({ coin_movement: { account_id: 'wallet', tags: ['deposit'], credit_msat: 5_000_000_000 } });
  });
});
