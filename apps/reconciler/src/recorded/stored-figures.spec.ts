import { describe, expect, it } from 'vitest';
import { BookKeeper, type ChainFact } from '@bkpr/domain';
import { StoredFigures } from './stored-figures.js';

const txid = (c: string) => c.repeat(64);
let seq = 0n;
const chain = (f: Partial<ChainFact> & Pick<ChainFact, 'account' | 'tag' | 'outpoint'>): ChainFact => ({
  type: 'chain', seq: seq++, extraTags: [], creditMsat: 0n, debitMsat: 0n, outputMsat: 0n, spendingTxid: null, paymentId: null,
  blockheight: 101, timestamp: 1_000, coinType: 'bcrt', originAccount: null, peerId: null, outputCount: null, description: null,
  source: 'coin_movement', ...f,
});

/** Wallet output `c`:0 of 1,000,000 msat, spent by tx `s` into a send of 900,000 msat to external (fee 100,000). */
const sendToExternal = (c: string, s: string): ChainFact[] => [
  chain({ account: 'wallet', tag: 'deposit', outpoint: `${txid(c)}:0`, creditMsat: 1_000_000n, outputMsat: 1_000_000n }),
  chain({ account: 'wallet', tag: 'withdrawal', outpoint: `${txid(c)}:0`, debitMsat: 1_000_000n, outputMsat: 1_000_000n, spendingTxid: txid(s), blockheight: 110 }),
  chain({ account: 'external', tag: 'deposit', outpoint: `${txid(s)}:0`, creditMsat: 900_000n, outputMsat: 900_000n, originAccount: 'wallet', blockheight: 110 }),
];

describe('StoredFigures', () => {
  it('offers each figure once, and what a later fact derives', () => {
    const keeper = new BookKeeper();
    const stored = new StoredFigures();
    for (const fact of sendToExternal('a', 'b')) keeper.apply(fact);

    const first = stored.unstored(keeper.books());
    expect(first.externals.map((e) => e.outpoint)).toEqual([`${txid('b')}:0`]);
    expect(first.fees.length).toBeGreaterThan(0);
    stored.remember(first);
    expect(stored.unstored(keeper.books())).toEqual({ fees: [], externals: [], resolutions: [], problems: [] });

    for (const fact of sendToExternal('c', 'd')) keeper.apply(fact);
    const next = stored.unstored(keeper.books());
    expect(next.externals.map((e) => e.outpoint)).toEqual([`${txid('d')}:0`]);
    expect(next.fees.map((f) => f.txid)).toEqual(first.fees.map(() => txid('d')));
  });
});
