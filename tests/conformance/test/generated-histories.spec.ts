import { describe, expect, it } from 'vitest';
import { parseNotification } from '@bkpr/contracts';
import { factFromMovement, incomeStatement, keepBooks, listBalances, normalizeNotification, type Fact } from '@bkpr/domain';
import { generateAll, type WorkloadItem } from '@bkpr/workload';

/** A generated organization's notifications, as the ledger would keep them: per node, re-sends dropped. */
function factsByNode(items: readonly WorkloadItem[]): Map<string, Fact[]> {
  const byNode = new Map<string, Fact[]>();
  const seen = new Set<string>();
  let seq = 1n;
  for (const item of items) {
    const parsed = parseNotification(item.body);
    if (!parsed.ok) throw new Error(`generated notification invalid: ${JSON.stringify(parsed.issues)}`);
    const normalized = normalizeNotification(parsed.notification, { nodeId: item.nodeId });
    if (!normalized.ok) throw new Error(normalized.message);
    for (const m of normalized.movements) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      const facts = byNode.get(m.nodeId) ?? [];
      facts.push(factFromMovement(m, seq++));
      byNode.set(m.nodeId, facts);
    }
  }
  return byNode;
}

const SEEDS = [1, 2, 3];

describe('generated organization histories (the workload simulator as a second opinion)', () => {
  it.each(SEEDS)('seed %i: our balances equal the simulator\'s, with re-sends and local reordering, and nothing is flagged', (seed) => {
    const { items, expected } = generateAll({ seed, nodes: 2, channelsPerNode: 4, targetEvents: 3_000, duplicationRate: 0.05, reorderWindow: 6 });
    const ours = new Map<string, bigint>();
    for (const [nodeId, facts] of factsByNode(items)) {
      const books = keepBooks(facts);
      expect(books.problems, `problems of ${nodeId}`).toEqual([]);
      for (const account of listBalances(books).accounts) {
        for (const b of account['balances'] as { balance_msat: bigint; coin_type: string }[]) {
          ours.set(`${nodeId}|${account['account']}|${b.coin_type}`, b.balance_msat);
        }
      }
    }
    const theirs = new Map(expected.balances.map((b) => [`${b.nodeId}|${b.account}|${b.coinType}`, b.balanceMsat]));
    for (const [key, balance] of theirs) expect(ours.get(key) ?? 0n, key).toBe(balance);
  });

  it('gives the same consolidated income whatever the duplication and local reordering of the same history', () => {
    const income = (options: { duplicationRate: number; reorderWindow: number }) => {
      const { items } = generateAll({ seed: 7, nodes: 1, channelsPerNode: 3, targetEvents: 1_500, ...options });
      const [facts] = [...factsByNode(items).values()];
      const rows = incomeStatement(keepBooks(facts!), { consolidateFees: true, startTime: 0, endTime: Number.MAX_SAFE_INTEGER });
      return rows.map((r) => `${r.account} ${r.tag} ${r.creditMsat} ${r.debitMsat} ${r.outpoint ?? r.txid ?? r.paymentId}`).sort();
    };
    const plain = income({ duplicationRate: 0, reorderWindow: 0 });
    expect(income({ duplicationRate: 0.2, reorderWindow: 0 })).toEqual(plain);
  });
});
