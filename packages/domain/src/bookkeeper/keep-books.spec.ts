import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Fact } from './facts.js';
import { chainFact, channelFact, nextSeq, tx } from './fact-builders.testing.js';
import { incomeStatement, incomeStatementOf } from './income.js';
import { keepBooks } from './keep-books.js';
import { listBalances } from './queries.js';

// Scenarios of CLN's recorder unit tests (plugins/bkpr/test/run-recorder.c), restated with our
// own txids; the figures are CLN's.
const chain = (f: Parameters<typeof chainFact>[0]) => chainFact({ coinType: 'btc', blockheight: 100, ...f });
const channel = (f: Parameters<typeof channelFact>[0]) => channelFact({ coinType: 'btc', ...f });
const fees = (facts: Fact[]) =>
  keepBooks(facts).feeRows.map((r) => [r.account, r.txid.slice(0, 4), r.creditMsat - r.debitMsat, r.updateCount]);

describe('on-chain fees (CLN recorder cases)', () => {
  it('charges the wallet for its spend to external: +800 while the external output is unknown, then −700', () => {
    const facts: Fact[] = [
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${tx('a')}:0`, creditMsat: 1000n }),
      chain({ account: 'wallet', tag: 'withdrawal', outpoint: `${tx('a')}:0`, debitMsat: 1000n, spendingTxid: tx('1') }),
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${tx('1')}:1`, creditMsat: 200n }),
      chain({ account: 'external', tag: 'deposit', outpoint: `${tx('1')}:0`, creditMsat: 700n, originAccount: 'wallet', blockheight: 0 }),
    ];
    expect(fees(facts)).toEqual([
      ['wallet', '1111', 800n, 1],
      ['wallet', '1111', -700n, 2],
    ]);
  });

  it('splits a transaction opening two channels between them, remainder to the first; never the wallet', () => {
    const facts: Fact[] = [
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${tx('b')}:0`, creditMsat: 1000n }),
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${tx('b')}:1`, creditMsat: 3001n }),
      chain({ account: 'external', tag: 'deposit', outpoint: `${tx('e')}:0`, creditMsat: 1n }),
      chain({ account: 'wallet', tag: 'withdrawal', outpoint: `${tx('b')}:0`, debitMsat: 1000n, spendingTxid: tx('a') }),
      chain({ account: 'wallet', tag: 'withdrawal', outpoint: `${tx('b')}:1`, debitMsat: 3001n, spendingTxid: tx('a') }),
      chain({ account: 'chan-1', tag: 'channel_open', outpoint: `${tx('a')}:0`, creditMsat: 500n }),
      chain({ account: 'chan-2', tag: 'channel_open', outpoint: `${tx('a')}:1`, creditMsat: 1000n }),
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${tx('a')}:2`, creditMsat: 2200n }),
    ];
    expect(fees(facts)).toEqual([
      ['chan-1', 'aaaa', 3501n, 1],
      ['chan-1', 'aaaa', -2250n, 2],
      ['chan-2', 'aaaa', 1250n, 1],
      ['chan-1', 'aaaa', -1100n, 3],
      ['chan-2', 'aaaa', -1100n, 2],
    ]);
  });
});

describe('channel close (CLN recorder case)', () => {
  it('resolves only when every close output is traced, then charges the close fee to the channel', () => {
    const close = tx('1');
    const facts: Fact[] = [
      chain({ account: 'chan-1', tag: 'channel_open', extraTags: ['opener'], outpoint: `${tx('f')}:0`, creditMsat: 1000n, outputMsat: 1660n, peerId: '02' + '11'.repeat(32) }),
      chain({ account: 'chan-1', tag: 'channel_close', outpoint: `${tx('f')}:0`, debitMsat: 1000n, spendingTxid: close, outputCount: 5, blockheight: 101 }),
      chain({ account: 'chan-1', tag: 'delayed_to_us', outpoint: `${close}:0`, creditMsat: 200n, blockheight: 101 }),
      chain({ account: 'wallet', tag: 'anchor', extraTags: ['ignored'], outpoint: `${close}:1`, creditMsat: 30n, originAccount: 'chan-1', blockheight: 101 }),
      chain({ account: 'external', tag: 'anchor', outpoint: `${close}:2`, creditMsat: 30n, originAccount: 'chan-1', blockheight: 101 }),
      chain({ account: 'chan-1', tag: 'htlc_timeout', outpoint: `${close}:3`, creditMsat: 600n, blockheight: 101 }),
      chain({ account: 'external', tag: 'to_them', outpoint: `${close}:4`, creditMsat: 300n, originAccount: 'chan-1', blockheight: 101 }),
      chain({ account: 'chan-1', tag: 'delayed_to_us', outpoint: `${close}:0`, debitMsat: 200n, spendingTxid: tx('2'), blockheight: 102 }),
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${tx('2')}:0`, creditMsat: 150n, originAccount: 'chan-1', blockheight: 102 }),
      chain({ account: 'chan-1', tag: 'htlc_timeout', outpoint: `${close}:3`, debitMsat: 600n, spendingTxid: tx('3'), blockheight: 102 }),
      chain({ account: 'chan-1', tag: 'htlc_tx', outpoint: `${tx('3')}:0`, creditMsat: 450n, blockheight: 102 }),
    ];
    const before = keepBooks(facts);
    expect(before.accounts.find((a) => a.name === 'chan-1')!.resolvedBlock).toBe(0);
    expect(before.feeRows.some((r) => r.txid === close)).toBe(false);
    facts.push(
      chain({ account: 'chan-1', tag: 'to_wallet', outpoint: `${tx('3')}:0`, debitMsat: 450n, spendingTxid: tx('4'), blockheight: 103 }),
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${tx('4')}:0`, creditMsat: 350n, originAccount: 'chan-1', blockheight: 103 }),
    );
    const after = keepBooks(facts);
    expect(after.accounts.find((a) => a.name === 'chan-1')!.resolvedBlock).toBe(103);
    const byTx = new Map<string, bigint>();
    for (const r of after.feeRows) byTx.set(`${r.account}:${r.txid.slice(0, 4)}`, (byTx.get(`${r.account}:${r.txid.slice(0, 4)}`) ?? 0n) + r.creditMsat - r.debitMsat);
    expect(Object.fromEntries(byTx)).toEqual({ 'chan-1:1111': 200n, 'chan-1:2222': 50n, 'chan-1:3333': 150n, 'chan-1:4444': 100n });
  });
});

describe('penalty adjustment', () => {
  it('records a credit/debit penalty_adj pair instead of a fee when more came back than the channel held; income keeps the credit', () => {
    const close = tx('5');
    const books = keepBooks([
      chain({ account: 'chan-p', tag: 'channel_open', outpoint: `${tx('6')}:0`, creditMsat: 1000n, outputMsat: 3000n }),
      chain({ account: 'chan-p', tag: 'channel_close', outpoint: `${tx('6')}:0`, debitMsat: 1000n, spendingTxid: close, outputCount: 1, timestamp: 2_000 }),
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${close}:0`, creditMsat: 1200n, originAccount: 'chan-p', timestamp: 2_001 }),
    ]);
    expect(books.channelEvents.map((e) => [e.tag, e.creditMsat, e.debitMsat, e.timestamp])).toEqual([
      ['penalty_adj', 200n, 0n, 2_000],
      ['penalty_adj', 0n, 200n, 2_000],
    ]);
    expect([...books.feeRows]).toEqual([]);
    const income = incomeStatement(books, { consolidateFees: true, startTime: 0, endTime: Number.MAX_SAFE_INTEGER });
    expect(income.filter((r) => r.tag === 'penalty_adj').map((r) => [r.creditMsat, r.debitMsat])).toEqual([[200n, 0n]]);
  });
});

describe('rebalances and income', () => {
  it('pairs a paid and a received invoice of one payment hash, in either order; only the fee is income', () => {
    const hash = tx('9');
    const open = (account: string, t: string) => chain({ account, tag: 'channel_open', outpoint: `${tx(t)}:0`, creditMsat: 10_000n });
    for (const order of ['credit first', 'debit first']) {
      const received = channel({ account: 'one', tag: 'invoice', creditMsat: 100n, paymentId: hash });
      const paid = channel({ account: 'two', tag: 'invoice', debitMsat: 112n, feesMsat: 12n, paymentId: hash });
      const unrelated = channel({ account: 'three', tag: 'invoice', creditMsat: 105n, paymentId: hash });
      const halves = order === 'credit first' ? [received, paid] : [paid, received];
      const books = keepBooks([open('one', 'c'), open('two', 'd'), open('three', 'e'), ...halves, unrelated]);
      const income = incomeStatement(books, { consolidateFees: true, startTime: 0, endTime: Number.MAX_SAFE_INTEGER });
      expect(income.map((r) => [r.account, r.tag, r.creditMsat, r.debitMsat]), order).toEqual([
        ['two', 'rebalance_fee', 0n, 12n],
        ['three', 'invoice', 105n, 0n],
      ]);
    }
  });

  it('remembers a statement per books version and form, for the 3 forms last asked for', () => {
    const books = keepBooks([chain({ account: 'one', tag: 'channel_open', outpoint: `${tx('c')}:0`, creditMsat: 10_000n }), channel({ account: 'one', tag: 'invoice', creditMsat: 5n })]);
    const form = (startTime: number) => ({ consolidateFees: true, startTime, endTime: Number.MAX_SAFE_INTEGER });
    const first = incomeStatementOf(books, form(0));
    expect(incomeStatementOf(books, form(0))).toBe(first);
    for (const t of [1, 2]) incomeStatementOf(books, form(t));
    expect(incomeStatementOf(books, form(0))).toBe(first);
    for (const t of [1, 2, 3]) incomeStatementOf(books, form(t));
    const again = incomeStatementOf(books, form(0));
    expect(again).not.toBe(first);
    expect([...again]).toEqual([...first]);
    expect(first.at(0)).toEqual({ account: 'one', tag: 'invoice', creditMsat: 5n, debitMsat: 0n, currency: 'btc', timestamp: 1_000, description: null, outpoint: null, txid: null, paymentId: null, feesMsat: 0n });
  });

  it('lists coin types as CLN does: those of chain events sorted, then channel-only ones', () => {
    const books = keepBooks([
      channel({ account: 'multi', tag: 'invoice', creditMsat: 5n, coinType: 'zzz' }),
      chain({ account: 'multi', tag: 'deposit', outpoint: `${tx('7')}:0`, creditMsat: 1n, coinType: 'tb' }),
      chain({ account: 'multi', tag: 'deposit', outpoint: `${tx('7')}:1`, creditMsat: 2n, coinType: 'bc' }),
    ]);
    expect((listBalances(books).accounts[0]!['balances'] as { coin_type: string }[]).map((b) => b.coin_type)).toEqual(['bc', 'tb', 'zzz']);
  });

  it('reports a negative balance as a problem instead of stopping', () => {
    const books = keepBooks([channel({ account: 'chan', tag: 'invoice', debitMsat: 5n })]);
    const { accounts, problems } = listBalances(books);
    expect(accounts).toEqual([{ account: 'chan', balances: [{ balance_msat: -5n, coin_type: 'btc' }] }]);
    expect(problems.map((p) => p.code)).toEqual(['negative_balance']);
    expect(books.problems.map((p) => p.code)).toEqual(['channel_event_for_unknown_account']);
  });
});

describe('sends to external', () => {
  it('in any arrival order, a send recorded without a block gets the block of the first spend into its transaction recorded with one (none: 0); one with a block keeps it', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 0, 120, 130), { minLength: 1, maxLength: 4 }), fc.array(fc.constantFrom(0, 0, 140), { minLength: 1, maxLength: 3 }), fc.infiniteStream(fc.nat()), (spendBlocks, sendBlocks, picks) => {
        const spends = spendBlocks.map((blockheight, k) => chain({ account: 'wallet', tag: 'withdrawal', outpoint: `${tx('a')}:${k}`, debitMsat: 1000n, spendingTxid: tx('1'), blockheight }));
        const sends = sendBlocks.map((blockheight, k) => chain({ account: 'external', tag: 'deposit', outpoint: `${tx('1')}:${k}`, creditMsat: 300n, originAccount: 'wallet', blockheight }));
        const pending: Fact[] = [...spends, ...sends];
        const arrived: Fact[] = [];
        const it = picks[Symbol.iterator]();
        while (pending.length > 0) arrived.push(pending.splice(it.next().value! % pending.length, 1)[0]!);
        const firstConfirmed = arrived.find((f) => f.type === 'chain' && f.spendingTxid !== null && f.blockheight !== 0);
        const books = keepBooks(arrived);
        const events = books.chainEvents;
        const external = books.accounts.find((a) => a.name === 'external')!;
        const got = events.ofAccountId(external.id).map((i) => [events.outpointOf(i), events.blockheightOf(i)]);
        const expected = sendBlocks.map((b, k) => [`${tx('1')}:${k}`, b !== 0 ? b : firstConfirmed?.type === 'chain' ? firstConfirmed.blockheight : 0]);
        expect(got.sort()).toEqual(expected.sort());
      }),
    );
  });
});

describe('balance snapshots', () => {
  it('are compared with every event but the ignored chain events (listbalances counts those too), per coin type', () => {
    const snapshot = (balanceMsat: bigint, coinType = 'btc'): Fact => ({ type: 'snapshot', seq: nextSeq(), account: 'wallet', balanceMsat, coinType, blockheight: 102, timestamp: 2_000 });
    const books = keepBooks([
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${tx('a')}:0`, creditMsat: 1_000n }),
      chain({ account: 'wallet', tag: 'ignored', outpoint: `${tx('a')}:1`, creditMsat: 70n }),
      chain({ account: 'wallet', tag: 'anchor', extraTags: ['ignored'], outpoint: `${tx('a')}:2`, creditMsat: 5n }),
      chain({ account: 'wallet', tag: 'deposit', outpoint: `${tx('a')}:3`, creditMsat: 40n, coinType: 'tb' }),
      snapshot(1_000n),
      snapshot(1_010n),
      snapshot(30n, 'tb'),
    ]);
    const journal = books.channelEvents.map((e) => [e.tag, e.coinType, e.creditMsat, e.debitMsat]);
    expect(journal).toEqual([
      ['journal_entry', 'btc', 10n, 0n],
      ['journal_entry', 'tb', 0n, 10n],
    ]);
    expect(listBalances(books).accounts).toEqual([{ account: 'wallet', balances: [{ balance_msat: 1_085n, coin_type: 'btc' }, { balance_msat: 30n, coin_type: 'tb' }] }]);
  });
});
