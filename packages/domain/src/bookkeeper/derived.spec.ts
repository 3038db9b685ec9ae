import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derivedFiguresSince, FIGURES_START, problemsOf, type Derived, type FiguresMark } from './derived.js';
import type { Fact } from './facts.js';
import { chainFact, channelFact, tx } from './fact-builders.testing.js';
import { BookKeeper, keepBooks } from './keep-books.js';

// A wallet that sends to external twice (one send confirmed only when its spend is seen,
// one confirmed at once), a send naming no origin, and a channel that pays more than it has.
const send = tx('5');
const later = tx('6');
const facts: Fact[] = [
  chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${tx('a')}:0`, creditMsat: 10_000n }),
  chainFact({ account: 'external', tag: 'deposit', outpoint: `${send}:0`, creditMsat: 6_000n, originAccount: 'wallet', blockheight: 0 }),
  chainFact({ account: 'external', tag: 'deposit', outpoint: `${tx('7')}:0`, creditMsat: 1_000n, blockheight: 120 }),
  channelFact({ account: 'chan-a', tag: 'invoice', debitMsat: 50n }),
  chainFact({ account: 'external', tag: 'deposit', outpoint: `${tx('8')}:0`, creditMsat: 2_000n, blockheight: 125 }),
  chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${send}:1`, creditMsat: 3_000n, blockheight: 0 }),
  chainFact({ account: 'wallet', tag: 'withdrawal', outpoint: `${tx('a')}:0`, debitMsat: 10_000n, spendingTxid: send, blockheight: 130 }),
  chainFact({ account: 'external', tag: 'deposit', outpoint: `${later}:0`, creditMsat: 500n, originAccount: 'wallet', blockheight: 0 }),
  chainFact({ account: 'external', tag: 'deposit', outpoint: `${later}:1`, creditMsat: 400n, originAccount: 'wallet', blockheight: 140 }),
];

/** The figures a reader that had all of `before` is given: every figure of the books, less the sends to external it had. */
function notHandedOut(all: Derived, before: readonly Derived[]): Derived {
  const had = new Set(before.flatMap((f) => f.externals.map((e) => e.outpoint)));
  const fees = before.reduce((n, f) => n + f.fees.length, 0);
  return { ...all, fees: all.fees.slice(fees), externals: all.externals.filter((e) => !had.has(e.outpoint)) };
}

describe('derivedFiguresSince', () => {
  it('from the start: every figure of the books, each problem once', () => {
    const books = keepBooks(facts);
    const { figures } = derivedFiguresSince(books, FIGURES_START);
    expect(figures.externals.map((e) => [e.outpoint, e.originAccount, e.amountMsat, e.blockheight])).toEqual([
      [`${send}:0`, 'wallet', 6_000n, 130],
      [`${tx('7')}:0`, null, 1_000n, 120],
      [`${tx('8')}:0`, null, 2_000n, 125],
      [`${later}:1`, 'wallet', 400n, 140],
    ]);
    expect(figures.problems.map((p) => [p.code, p.account])).toEqual([
      ['channel_event_for_unknown_account', 'chan-a'],
      ['negative_balance', 'chan-a'],
      ['external_deposit_without_origin', 'external'],
    ]);
    expect(figures.problems[2]!.message).toContain(`${tx('7')}:0`);
    expect(figures.problems).toEqual(problemsOf(books));
  });

  it('folded in any chunks, each pass gives what the whole figures hold that earlier passes did not (a send once it confirms)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: facts.length - 1 }), { maxLength: facts.length }), (cuts) => {
        const keeper = new BookKeeper();
        let mark: FiguresMark = FIGURES_START;
        const given: Derived[] = [];
        const ends = [...cuts.sort((a, b) => a - b), facts.length];
        let at = 0;
        for (const end of ends) {
          for (; at < end; at++) keeper.apply(facts[at]!);
          const books = keeper.books();
          const since = derivedFiguresSince(books, mark);
          expect(since.figures).toEqual(notHandedOut(derivedFiguresSince(books, FIGURES_START).figures, given));
          given.push(since.figures);
          mark = since.mark;
        }
        expect(given.flatMap((f) => f.externals.map((e) => e.outpoint)).sort()).toEqual([`${send}:0`, `${tx('7')}:0`, `${tx('8')}:0`, `${later}:1`].sort());
      }),
    );
  });

  it('reads other books from the start, keeping only the fee rows handed out', () => {
    const books = keepBooks(facts);
    const { mark } = derivedFiguresSince(books, FIGURES_START);
    const again = derivedFiguresSince(keepBooks(facts), mark).figures;
    expect(again.fees).toEqual([]);
    expect(again.externals).toHaveLength(4);
  });
});
