import { describe, expect, it } from 'vitest';
import type { Fact } from './facts.js';
import { chainFact, channelFact, tx } from './fact-builders.testing.js';
import { incomeStatement } from './income.js';
import { keepBooks } from './keep-books.js';
import type { Books } from './state.js';

// Derived figures are recomputed from facts, so the order facts arrive in must not change them
// (tests/conformance/test/permutations.spec.ts checks it on generated histories). Each case
// here is one way it did, replayed in every order of its facts.

function* permutations<T>(items: readonly T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield [...items];
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const tail of permutations(rest)) yield [items[i]!, ...tail];
  }
}

/** Net fee per `account txid`, the deltas summed (what `consolidate_fees` shows). */
function netFees(books: Books): Record<string, bigint> {
  const net: Record<string, bigint> = {};
  for (const f of books.feeRows) net[`${f.account} ${f.txid.slice(0, 4)}`] = (net[`${f.account} ${f.txid.slice(0, 4)}`] ?? 0n) + f.creditMsat - f.debitMsat;
  return Object.fromEntries(Object.entries(net).filter(([, v]) => v !== 0n));
}

const ALL_TIME = { consolidateFees: true, startTime: 0, endTime: Number.MAX_SAFE_INTEGER };

describe('an internal transfer inside one node: the sender pays its fee, whatever arrives first', () => {
  // The wallet sends 6 000 to the node's own cold storage (change 3 000, fee 1 000): lightningd
  // reports the send to `external`, the 3rd-party plugin the same output as a deposit.
  const send = tx('7');
  const walletToColdStorage: Fact[] = [
    chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${tx('a')}:0`, creditMsat: 10_000n }),
    chainFact({ account: 'external', tag: 'deposit', outpoint: `${send}:0`, creditMsat: 6_000n, originAccount: 'wallet', blockheight: 0 }),
    chainFact({ account: 'wallet', tag: 'withdrawal', outpoint: `${tx('a')}:0`, debitMsat: 10_000n, spendingTxid: send }),
    chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${send}:1`, creditMsat: 3_000n }),
    chainFact({ account: 'cold storage', tag: 'deposit', outpoint: `${send}:0`, creditMsat: 6_000n, source: 'utxo' }),
  ];

  it('wallet to a 3rd-party wallet: 1 000 on the wallet in all 120 orders (CLN: on whichever side a partial picture charged)', () => {
    for (const order of permutations(walletToColdStorage)) expect(netFees(keepBooks(order))).toEqual({ 'wallet 7777': 1_000n });
  });

  it('3rd-party wallet to the wallet: 1 000 on the 3rd-party wallet in all 120 orders', () => {
    const facts: Fact[] = [
      chainFact({ account: 'cold storage', tag: 'deposit', outpoint: `${tx('b')}:0`, creditMsat: 10_000n, source: 'utxo' }),
      chainFact({ account: 'external', tag: 'deposit', outpoint: `${send}:0`, creditMsat: 6_000n, originAccount: 'cold storage', blockheight: 0, source: 'utxo' }),
      chainFact({ account: 'cold storage', tag: 'withdrawal', outpoint: `${tx('b')}:0`, debitMsat: 10_000n, spendingTxid: send, source: 'utxo' }),
      chainFact({ account: 'cold storage', tag: 'deposit', outpoint: `${send}:1`, creditMsat: 3_000n, source: 'utxo' }),
      chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${send}:0`, creditMsat: 6_000n }),
    ];
    for (const order of permutations(facts)) expect(netFees(keepBooks(order))).toEqual({ 'cold storage 7777': 1_000n });
  });

  it('a send to an outsider is unchanged: the same output on no other account is counted as before', () => {
    const facts = walletToColdStorage.slice(0, 4);
    for (const order of permutations(facts)) expect(netFees(keepBooks(order))).toEqual({ 'wallet 7777': 1_000n });
  });
});

describe('a force-closed channel resolves whatever its facts arrive in', () => {
  // Our unilateral close: the commitment tx has only our delayed output (900 of our 1 000), swept
  // later into the wallet (850). The sweep's wallet deposit names no origin.
  const funding = tx('f');
  const commitment = tx('c');
  const sweep = tx('5');
  const facts: Fact[] = [
    chainFact({ account: 'chan-s', tag: 'channel_open', extraTags: ['opener'], outpoint: `${funding}:0`, creditMsat: 1_000n, outputMsat: 1_000n, peerId: '02' + '11'.repeat(32), blockheight: 100 }),
    chainFact({ account: 'chan-s', tag: 'channel_close', outpoint: `${funding}:0`, debitMsat: 1_000n, outputMsat: 1_000n, spendingTxid: commitment, outputCount: 1, blockheight: 200 }),
    chainFact({ account: 'chan-s', tag: 'delayed_to_us', outpoint: `${commitment}:0`, creditMsat: 900n, outputMsat: 900n, blockheight: 200 }),
    chainFact({ account: 'chan-s', tag: 'to_wallet', outpoint: `${commitment}:0`, debitMsat: 900n, outputMsat: 900n, spendingTxid: sweep, blockheight: 344 }),
    chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${sweep}:0`, creditMsat: 850n, outputMsat: 850n, blockheight: 344 }),
  ];

  it('in all 120 orders: resolved at the sweep, close fee 100 and sweep fee 50 on the channel, no problem left', () => {
    for (const order of permutations(facts)) {
      const books = keepBooks(order);
      const label = order.map((f) => (f.type === 'chain' ? f.tag : f.type)).join(', ');
      expect(books.accounts.find((a) => a.name === 'chan-s')!.resolvedBlock, label).toBe(344);
      expect(netFees(books), label).toEqual({ 'chan-s cccc': 100n, 'chan-s 5555': 50n });
      expect(books.problems, label).toEqual([]);
    }
  });

  it('still reports a close whose channel_open never came', () => {
    const books = keepBooks(facts.slice(1));
    expect(books.problems.map((p) => [p.code, p.account])).toEqual([['close_without_open', 'chan-s']]);
    expect(books.accounts.find((a) => a.name === 'chan-s')!.resolvedBlock).toBe(0);
  });
});

describe('rebalance pairing', () => {
  it('pairs a paid invoice with a credit of another tag (CLN takes any credit) in either order', () => {
    const hash = tx('9');
    const open = (account: string, t: string) => chainFact({ account, tag: 'channel_open', outpoint: `${tx(t)}:0`, creditMsat: 10_000n });
    const credit = channelFact({ account: 'one', tag: 'routed', creditMsat: 100n, paymentId: hash });
    const paid = channelFact({ account: 'two', tag: 'invoice', debitMsat: 112n, feesMsat: 12n, paymentId: hash });
    for (const halves of [[credit, paid], [paid, credit]]) {
      const income = incomeStatement(keepBooks([open('one', 'c'), open('two', 'd'), ...halves]), ALL_TIME);
      expect(income.map((r) => [r.account, r.tag, r.creditMsat, r.debitMsat])).toEqual([['two', 'rebalance_fee', 0n, 12n]]);
    }
  });
});
