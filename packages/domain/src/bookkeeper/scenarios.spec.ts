import { describe, expect, it } from 'vitest';
import type { Fact } from './facts.js';
import { chainFact, channelFact, nextSeq, tx } from './fact-builders.testing.js';
import { incomeStatement } from './income.js';
import { keepBooks } from './keep-books.js';
import { listBalances } from './queries.js';

// Scenarios of CLN's tests/test_bookkeeper.py, restated as notification sequences with our own
// txids; the expected figures follow CLN's rules (see docs/CLN-BKPR-SCENARIOS.md, part B).
const chain = (f: Parameters<typeof chainFact>[0]) => chainFact({ coinType: 'bcrt', ...f });
const channel = (f: Parameters<typeof channelFact>[0]) => channelFact({ coinType: 'bcrt', ...f });
const all = { startTime: 0, endTime: Number.MAX_SAFE_INTEGER };
const income = (facts: Fact[], consolidateFees = true) =>
  incomeStatement(keepBooks(facts), { consolidateFees, ...all }).map((r) => [r.account, r.tag, r.creditMsat, r.debitMsat, r.timestamp]);
const walletBalance = (facts: Fact[]) =>
  (listBalances(keepBooks(facts)).accounts.find((a) => a['account'] === 'wallet')!['balances'] as { balance_msat: bigint }[])[0]!.balance_msat;

describe('B1/B2: closes of a channel the peer opened', () => {
  it('charges the trimmed HTLC as the close fee, once both close outputs are known (101 000 msat)', () => {
    const [F, C] = [tx('f'), tx('c')];
    const facts: Fact[] = [
      chain({ account: 'chan', tag: 'channel_open', outpoint: `${F}:0`, outputMsat: 1_000_000_000n, peerId: '03' + '22'.repeat(32) }),
      channel({ account: 'chan', tag: 'invoice', creditMsat: 11_000_000n, paymentId: tx('1') }),
      chain({ account: 'chan', tag: 'channel_close', outpoint: `${F}:0`, debitMsat: 11_000_000n, spendingTxid: C, outputCount: 2, blockheight: 110, timestamp: 2_000 }),
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${C}:1`, creditMsat: 10_899_000n, outputMsat: 10_899_000n, originAccount: 'chan', blockheight: 110, timestamp: 2_001 }),
    ];
    expect([...keepBooks(facts).feeRows]).toEqual([]);
    facts.push(chain({ account: 'external', tag: 'to_them', outpoint: `${C}:0`, creditMsat: 989_000_000n, outputMsat: 989_000_000n, originAccount: 'chan', blockheight: 110, timestamp: 2_002 }));
    const books = keepBooks(facts);
    expect(books.feeRows.map((r) => [r.account, r.txid, r.creditMsat, r.timestamp])).toEqual([['chan', C, 101_000n, 2_000]]);
    expect(books.accounts.find((a) => a.name === 'chan')!.resolvedBlock).toBe(110);
  });
});

describe('B3/B4: a send to an external address', () => {
  const [D1, D2, W] = [tx('1'), tx('2'), tx('9')];
  const deposits = () => [
    chain({ account: 'wallet', tag: 'deposit', outpoint: `${D1}:0`, creditMsat: 1_111_111_000n, outputMsat: 1_111_111_000n, timestamp: 1_000 }),
    chain({ account: 'wallet', tag: 'deposit', outpoint: `${D2}:0`, creditMsat: 1_111_111_000n, outputMsat: 1_111_111_000n, timestamp: 1_001 }),
  ];
  const external = () => chain({ account: 'external', tag: 'deposit', outpoint: `${W}:0`, creditMsat: 555_555_000n, outputMsat: 555_555_000n, originAccount: 'wallet', blockheight: 0, timestamp: 1_100 });
  const change = () => chain({ account: 'wallet', tag: 'deposit', outpoint: `${W}:1`, creditMsat: 555_415_000n, outputMsat: 555_415_000n, blockheight: 102, timestamp: 1_200 });
  const spend = () => chain({ account: 'wallet', tag: 'withdrawal', outpoint: `${D1}:0`, debitMsat: 1_111_111_000n, outputMsat: 1_111_111_000n, spendingTxid: W, blockheight: 102, timestamp: 1_200 });

  it('is not income until its transaction confirms; then a withdrawal at broadcast time and the fee', () => {
    const facts: Fact[] = [...deposits(), external(), { type: 'snapshot', seq: nextSeq(), account: 'wallet', balanceMsat: 2_222_222_000n, coinType: 'bcrt', blockheight: 101, timestamp: 1_150 }];
    expect(income(facts)).toHaveLength(2);
    expect(keepBooks(facts).channelEvents.length).toBe(0); // the snapshot agreed: no journal entry
    facts.push(change());
    expect(income(facts).map((r) => r[1])).toEqual(['deposit', 'deposit', 'deposit']); // the change, until its spend is seen
    facts.push(spend());
    expect(income(facts)).toEqual([
      ['wallet', 'deposit', 1_111_111_000n, 0n, 1_000],
      ['wallet', 'deposit', 1_111_111_000n, 0n, 1_001],
      ['wallet', 'withdrawal', 0n, 555_555_000n, 1_100],
      ['wallet', 'onchain_fee', 0n, 141_000n, 1_200],
    ]);
    expect(walletBalance(facts)).toBe(1_666_526_000n);
  });

  it('charges the whole amount sent as fee when the external output was never recorded', () => {
    const facts: Fact[] = [...deposits(), change(), spend()];
    expect(income(facts)).toEqual([
      ['wallet', 'deposit', 1_111_111_000n, 0n, 1_000],
      ['wallet', 'deposit', 1_111_111_000n, 0n, 1_001],
      ['wallet', 'onchain_fee', 0n, 555_696_000n, 1_200],
    ]);
    expect(walletBalance(facts)).toBe(1_666_526_000n);
  });
});

describe("B5: an RBF'd send", () => {
  it('confirms only the replacement; its fee as two deltas, one consolidated row', () => {
    const [D, A, B] = [tx('d'), tx('a'), tx('b')];
    const facts: Fact[] = [
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${D}:0`, creditMsat: 1_111_111_000n, outputMsat: 1_111_111_000n, timestamp: 1_000 }),
      chain({ account: 'external', tag: 'deposit', outpoint: `${A}:0`, creditMsat: 555_555_000n, originAccount: 'wallet', blockheight: 0, timestamp: 1_100 }),
      chain({ account: 'external', tag: 'deposit', outpoint: `${B}:0`, creditMsat: 555_555_000n, originAccount: 'wallet', blockheight: 0, timestamp: 1_150 }),
      chain({ account: 'wallet', tag: 'withdrawal', outpoint: `${D}:0`, debitMsat: 1_111_111_000n, spendingTxid: B, blockheight: 102, timestamp: 1_200 }),
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${B}:1`, creditMsat: 555_300_000n, blockheight: 102, timestamp: 1_200 }),
    ];
    const books = keepBooks(facts);
    expect(books.chainEvents.filter((e) => e.account === 'external').map((e) => [e.outpoint.slice(0, 1), e.blockheight])).toEqual([['a', 0], ['b', 102]]);
    expect(books.feeRows.map((r) => [r.txid.slice(0, 1), r.creditMsat - r.debitMsat])).toEqual([['b', 555_556_000n], ['b', -555_300_000n]]);
    expect(income(facts).filter((r) => r[1] === 'withdrawal')).toEqual([['wallet', 'withdrawal', 0n, 555_555_000n, 1_150]]);
    expect(income(facts, false).filter((r) => r[1] === 'onchain_fee')).toHaveLength(2);
    expect(income(facts, true).filter((r) => r[1] === 'onchain_fee')).toEqual([['wallet', 'onchain_fee', 0n, 256_000n, 1_200]]);
  });
});
