import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fact } from './facts.js';
import { chainFact, tx } from './fact-builders.testing.js';
import { chainIncomeOf, incomeStatement, type IncomeRow } from './income.js';
import { InternalTransferFinder, internalTransfers, withoutInternalTransfers, type InternalTransfer, type NodeBooks } from './internal-transfers.js';
import { BookKeeper, keepBooks } from './keep-books.js';

const row = (fields: Partial<IncomeRow>): IncomeRow => ({
  account: 'wallet', tag: 'deposit', creditMsat: 0n, debitMsat: 0n, currency: 'bc', timestamp: 1, description: null,
  outpoint: null, txid: null, paymentId: null, feesMsat: 0n, ...fields,
});

describe('withoutInternalTransfers', () => {
  it('drops a send whose output another of our accounts received, in either order, and keeps its fee', () => {
    const send = row({ tag: 'withdrawal', debitMsat: 5_000n, outpoint: 'aa:0' });
    const arrival = row({ tag: 'deposit', creditMsat: 5_000n, outpoint: 'aa:0' });
    const fee = row({ tag: 'onchain_fee', debitMsat: 200n, txid: 'aa' });
    const income = row({ tag: 'deposit', creditMsat: 9n, outpoint: 'bb:1' });
    expect(withoutInternalTransfers([send, fee, arrival, income])).toEqual([fee, income]);
    expect(withoutInternalTransfers([arrival, income, send, fee])).toEqual([income, fee]);
  });

  it('keeps a send to someone else', () => {
    const send = row({ tag: 'withdrawal', debitMsat: 5_000n, outpoint: 'aa:0' });
    expect(withoutInternalTransfers([send])).toEqual([send]);
  });
});

const nodeA = '02' + 'aa'.repeat(32);
const nodeB = '03' + 'bb'.repeat(32);
const coldFeed = 'cold-storage';
const funding = tx('1');
const transfer = tx('2');

/** Node A's wallet, funded at `funding`:0, sends 700 000 msat of it to `transfer`:0, 200 000 back as change, 100 000 fee. */
const aSends = (blockheight: number): Fact[] => [
  chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${funding}:0`, creditMsat: 1_000_000n, blockheight: 100 }),
  chainFact({ account: 'external', tag: 'deposit', outpoint: `${transfer}:0`, creditMsat: 700_000n, originAccount: 'wallet', blockheight: 0, timestamp: 2_000 }),
  chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${transfer}:1`, creditMsat: 200_000n, blockheight, timestamp: 2_001 }),
  chainFact({ account: 'wallet', tag: 'withdrawal', outpoint: `${funding}:0`, debitMsat: 1_000_000n, spendingTxid: transfer, blockheight, timestamp: 2_002 }),
];
const bReceives: Fact[] = [chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${transfer}:0`, creditMsat: 700_000n, blockheight: 110, timestamp: 2_100 })];

const org = (...nodes: [string, Fact[]][]): NodeBooks[] => nodes.map(([nodeId, facts]) => ({ nodeId, books: keepBooks(facts) }));

describe('internalTransfers', () => {
  it("lists node A's wallet sending to node B's wallet once the send confirmed: from, to, amount, block", () => {
    expect(internalTransfers(org([nodeA, aSends(110)], [nodeB, bReceives]))).toEqual([
      {
        outpoint: `${transfer}:0`, txid: transfer, amountMsat: 700_000n, currency: 'bcrt',
        from: { nodeId: nodeA, account: 'wallet' }, to: { nodeId: nodeB, account: 'wallet' }, blockheight: 110, timestamp: 2_000,
      },
    ]);
  });

  it('finds the same transfer whatever order the nodes and their facts come in', () => {
    const forward = internalTransfers(org([nodeA, aSends(110)], [nodeB, bReceives]));
    expect(internalTransfers(org([nodeB, bReceives], [nodeA, [...aSends(110)].reverse()]))).toEqual(forward);
  });

  it('lists nothing while the send is unconfirmed, nor for a send to someone else', () => {
    expect(internalTransfers(org([nodeA, aSends(0)], [nodeB, bReceives]))).toEqual([]);
    expect(internalTransfers(org([nodeA, aSends(110)], [nodeB, []]))).toEqual([]);
  });

  it('counts a 3rd-party wallet on either side', () => {
    const coldReceives: Fact[] = [chainFact({ account: 'cold', tag: 'deposit', outpoint: `${transfer}:0`, creditMsat: 700_000n, source: 'utxo' })];
    expect(internalTransfers(org([nodeA, aSends(110)], [coldFeed, coldReceives])).map((t) => [t.from, t.to])).toEqual([
      [{ nodeId: nodeA, account: 'wallet' }, { nodeId: coldFeed, account: 'cold' }],
    ]);
    // The 3rd-party wallet sends back: its utxo_deposit to external names it, its utxo_spend confirms it.
    const back = tx('3');
    const coldSends: Fact[] = [
      ...coldReceives,
      chainFact({ account: 'external', tag: 'deposit', outpoint: `${back}:0`, creditMsat: 650_000n, originAccount: 'cold', blockheight: 0, source: 'utxo' }),
      chainFact({ account: 'cold', tag: 'withdrawal', outpoint: `${transfer}:0`, debitMsat: 700_000n, spendingTxid: back, blockheight: 120, source: 'utxo' }),
    ];
    const aReceivesBack = [...aSends(110), chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${back}:0`, creditMsat: 650_000n, blockheight: 120 })];
    const listed = internalTransfers(org([nodeA, aReceivesBack], [coldFeed, coldSends]));
    expect(listed.map((t) => [t.outpoint, t.from.nodeId, t.from.account, t.to.nodeId, t.to.account, t.amountMsat, t.blockheight])).toEqual([
      [`${transfer}:0`, nodeA, 'wallet', coldFeed, 'cold', 700_000n, 110],
      [`${back}:0`, coldFeed, 'cold', nodeA, 'wallet', 650_000n, 120],
    ]);
  });

  it('with `involving`, lists only the transfers with a side on those nodes', () => {
    const nodes = org([nodeA, aSends(110)], [nodeB, bReceives], [coldFeed, []]);
    expect(internalTransfers(nodes, new Set([nodeB]))).toHaveLength(1);
    expect(internalTransfers(nodes, new Set([nodeA]))).toHaveLength(1);
    expect(internalTransfers(nodes, new Set([coldFeed]))).toEqual([]);
  });

  it('names one receiver when two tracked accounts report the same output: the first in org order', () => {
    const coldReceives: Fact[] = [chainFact({ account: 'cold', tag: 'deposit', outpoint: `${transfer}:0`, creditMsat: 700_000n, source: 'utxo' })];
    const listed = internalTransfers(org([nodeA, aSends(110)], [nodeB, bReceives], [coldFeed, coldReceives]));
    expect(listed.map((t) => t.to)).toEqual([{ nodeId: nodeB, account: 'wallet' }]);
  });

  it('lists exactly the outpoints withoutInternalTransfers takes out of the organization income statement', () => {
    const nodes = org([nodeA, aSends(110)], [nodeB, [...bReceives, chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${tx('9')}:0`, creditMsat: 5n })]]);
    const rows = nodes.flatMap(({ books }) => incomeStatement(books, { consolidateFees: true, startTime: 0, endTime: Number.MAX_SAFE_INTEGER }));
    const kept = new Set(withoutInternalTransfers(rows));
    const dropped = rows.filter((r) => !kept.has(r)).map((r) => r.outpoint);
    expect(new Set(dropped)).toEqual(new Set(internalTransfers(nodes).map((t) => t.outpoint)));
    expect(dropped).toHaveLength(2);
    expect(rows.filter((r) => kept.has(r)).map((r) => [r.tag, r.debitMsat])).toContainEqual(['onchain_fee', 100_000n]);
  });
});

/**
 * The rule applied the plain way, on every event's income row (as internalTransfers did before
 * it read the columns and kept what it found): the reference the finder is held to.
 */
function transfersFromIncomeRows(nodes: readonly NodeBooks[], involving?: ReadonlySet<string>): InternalTransfer[] {
  const incomes = nodes.map(({ nodeId, books }) => ({ nodeId, books, incomeOf: chainIncomeOf(books) }));
  const sent = (r: IncomeRow | null) => r !== null && r.outpoint !== null && r.tag === 'withdrawal' && r.debitMsat > 0n;
  const received = (r: IncomeRow | null) => r !== null && r.outpoint !== null && r.tag === 'deposit' && r.creditMsat > 0n;
  const transfers: InternalTransfer[] = [];
  const sendsSeen = new Set<string>();
  for (const { nodeId, books, incomeOf } of incomes) {
    for (const event of books.chainEvents.filter((e) => e.account === 'external')) {
      const row = incomeOf(event);
      if (!sent(row) || sendsSeen.has(event.outpoint)) continue;
      sendsSeen.add(event.outpoint);
      const to = incomes
        .flatMap((n) => n.books.chainEvents.filter((e) => e.outpoint === event.outpoint).map((e) => ({ nodeId: n.nodeId, row: n.incomeOf(e) })))
        .find((r) => received(r.row));
      if (to === undefined || (involving && !involving.has(nodeId) && !involving.has(to.nodeId))) continue;
      transfers.push({
        outpoint: event.outpoint, txid: event.outpoint.slice(0, event.outpoint.lastIndexOf(':')), amountMsat: row!.debitMsat, currency: row!.currency,
        from: { nodeId, account: row!.account }, to: { nodeId: to.nodeId, account: to.row!.account }, blockheight: event.blockheight, timestamp: event.timestamp,
      });
    }
  }
  return transfers;
}

describe('InternalTransferFinder', () => {
  // Node A sends to `transfer`:0, which node B and the cold storage both report receiving; B
  // later also spends into `transfer` (so its deposit there is a move, no receipt), and the
  // cold storage sends back to A (an output B reports sending too).
  const back = tx('3');
  const coldReceives = chainFact({ account: 'cold', tag: 'deposit', outpoint: `${transfer}:0`, creditMsat: 700_000n, source: 'utxo' });
  const facts: [string, Fact][] = [
    ...aSends(110).map((f): [string, Fact] => [nodeA, f]),
    [nodeA, chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${back}:0`, creditMsat: 650_000n, blockheight: 120 })],
    [nodeB, bReceives[0]!],
    [nodeB, chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${tx('4')}:0`, creditMsat: 5_000n })],
    [nodeB, chainFact({ account: 'wallet', tag: 'withdrawal', outpoint: `${tx('4')}:0`, debitMsat: 5_000n, spendingTxid: transfer, blockheight: 110 })],
    // Node B reports sending the same output the cold storage sends back (two sends, one outpoint).
    [nodeB, chainFact({ account: 'external', tag: 'deposit', outpoint: `${back}:0`, creditMsat: 650_000n, originAccount: 'wallet', blockheight: 120 })],
    [coldFeed, coldReceives],
    [coldFeed, chainFact({ account: 'external', tag: 'deposit', outpoint: `${back}:0`, creditMsat: 650_000n, originAccount: 'cold', blockheight: 0, source: 'utxo' })],
    [coldFeed, chainFact({ account: 'cold', tag: 'withdrawal', outpoint: `${transfer}:0`, debitMsat: 700_000n, spendingTxid: back, blockheight: 120, source: 'utxo' })],
  ];

  it('asked after every fact, in any arrival order, lists what the rule gives on the income rows then (less those known)', () => {
    const order = fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length });
    fc.assert(
      fc.property(order, fc.boolean(), fc.boolean(), (arrivals, onlyTouched, skipListed) => {
        const keepers = new Map<string, BookKeeper>();
        const finder = new InternalTransferFinder();
        const listed = new Set<string>();
        for (const [nodeId, fact] of arrivals) {
          if (!keepers.has(nodeId)) keepers.set(nodeId, new BookKeeper());
          keepers.get(nodeId)!.apply(fact);
          const nodes: NodeBooks[] = [...keepers].sort(([x], [y]) => (x < y ? -1 : 1)).map(([id, keeper]) => ({ nodeId: id, books: keeper.books() }));
          const involving = onlyTouched ? new Set([nodeId]) : undefined;
          // As the reconciler asks: less the transfers it stored already.
          const known = skipListed ? new Set(listed) : undefined;
          const found = finder.find(nodes, involving, known);
          expect(found).toEqual(transfersFromIncomeRows(nodes, involving).filter((t) => !known?.has(t.outpoint)));
          for (const t of found) listed.add(t.outpoint);
        }
        expect(listed).toEqual(new Set([`${transfer}:0`, `${back}:0`]));
      }),
    );
  });
});
