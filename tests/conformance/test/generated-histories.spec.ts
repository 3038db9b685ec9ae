import { describe, expect, it } from 'vitest';
import { keepBooks, type IncomeRow } from '@bkpr/domain';
import { generateAll, type FormatName, type WorkloadItem } from '@bkpr/workload';
import { balancesOf, channelIncomeFigures, channelIncomeOf, consolidatedIncome, factsOf, movementsByNode } from './generated-books.js';

/** Every node's books, folded from the generated notifications as the ledger would keep them. */
function booksByNode(items: readonly WorkloadItem[]) {
  return new Map([...movementsByNode(items)].map(([nodeId, movements]) => [nodeId, keepBooks(factsOf(movements))] as const));
}

const SEEDS = [1, 2, 3];

describe('generated organization histories (the workload simulator as a second opinion)', () => {
  it.each(SEEDS)('seed %i: our balances equal the simulator\'s, with re-sends and local reordering, and nothing is flagged', (seed) => {
    const { items, expected } = generateAll({ seed, nodes: 2, channelsPerNode: 4, targetEvents: 3_000, duplicationRate: 0.05, reorderWindow: 6 });
    const ours = new Map<string, bigint>();
    for (const [nodeId, books] of booksByNode(items)) {
      expect(books.problems, `problems of ${nodeId}`).toEqual([]);
      for (const [key, balance] of balancesOf(nodeId, books)) ours.set(key, balance);
    }
    const theirs = new Map(expected.balances.map((b) => [`${b.nodeId}|${b.account}|${b.coinType}`, b.balanceMsat]));
    for (const [key, balance] of theirs) expect(ours.get(key) ?? 0n, key).toBe(balance);
  });

  it('gives the same consolidated income whatever the duplication and local reordering of the same history', () => {
    const income = (options: { duplicationRate: number; reorderWindow: number }) => {
      const { items } = generateAll({ seed: 7, nodes: 1, channelsPerNode: 3, targetEvents: 1_500, ...options });
      const [books] = [...booksByNode(items).values()];
      return consolidatedIncome(books!).map((r) => `${r.account} ${r.tag} ${r.creditMsat} ${r.debitMsat} ${r.outpoint ?? r.txid ?? r.paymentId}`).sort();
    };
    const plain = income({ duplicationRate: 0, reorderWindow: 0 });
    expect(income({ duplicationRate: 0.2, reorderWindow: 0 })).toEqual(plain);
  });
});

describe.each<[string, Partial<Record<FormatName, number>>]>([
  ['v2', { v2: 1 }],
  ['newer', { newer: 1 }],
  ['a mix of v2 and newer', { v2: 1, newer: 1 }],
])('generated histories in the %s format', (_name, formats) => {
  const options = { seed: 4, nodes: 4, channelsPerNode: 3, targetEvents: 4_000, duplicationRate: 0.05, reorderWindow: 6 };
  const { items, expected } = generateAll({ ...options, formats });
  const books = booksByNode(items);

  it("parse, normalize and fold without problems into the simulator's balances and channel income", () => {
    expect(new Set(expected.nodes.map((n) => n.format))).toEqual(new Set(Object.keys(formats)));
    const ours = new Map<string, bigint>();
    for (const [nodeId, b] of books) {
      expect(b.problems, `problems of ${nodeId}`).toEqual([]);
      for (const [key, balance] of balancesOf(nodeId, b)) ours.set(key, balance);
    }
    for (const row of expected.balances) expect(ours.get(`${row.nodeId}|${row.account}|${row.coinType}`) ?? 0n, row.account).toBe(row.balanceMsat);
    for (const node of expected.nodes) {
      expect(channelIncomeOf(consolidatedIncome(books.get(node.nodeId)!)), node.label).toEqual(channelIncomeFigures(node));
    }
  });

  it('give exactly the income statement (every row, fees included) of the same history in v2', () => {
    const v2 = booksByNode(generateAll({ ...options, formats: { v2: 1 } }).items);
    const rows = (r: readonly IncomeRow[]) => r.map((x) => ({ ...x }));
    for (const [nodeId, b] of books) {
      expect(rows(consolidatedIncome(b)), nodeId).toEqual(rows(consolidatedIncome(v2.get(nodeId)!)));
      expect(b.feeRows.map(({ order: _order, ...f }) => f), nodeId).toEqual(v2.get(nodeId)!.feeRows.map(({ order: _order, ...f }) => f));
    }
  });
});
