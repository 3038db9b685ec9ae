import type { Problem } from './facts.js';
import { listBalances } from './queries.js';
import { externalEvents, type Books } from './state.js';

/** What the reconciler keeps and announces of a node's books. */
export interface Derived {
  readonly fees: { account: string; txid: string; updateCount: number; creditMsat: bigint; debitMsat: bigint; coinType: string; timestamp: number }[];
  /** Sends to `external` whose transaction confirmed. */
  readonly externals: { outpoint: string; originAccount: string | null; amountMsat: bigint; blockheight: number }[];
  readonly resolutions: { account: string; resolvedBlock: number }[];
  readonly problems: Problem[];
}

/** What does not add up in a node's books, each (code, account) once. */
export function problemsOf(books: Books): Problem[] {
  const problems = [...books.problems, ...listBalances(books).problems];
  for (const e of externalEvents(books)) {
    if (e.tag === 'deposit' && e.originAccount === null && e.source === 'coin_movement') {
      problems.push({ code: 'external_deposit_without_origin', account: 'external', message: `send to external at ${e.outpoint} names no origin account` });
    }
  }
  return problems.filter((p, i) => problems.findIndex((q) => q.code === p.code && q.account === p.account) === i);
}

/** The derived figures of `books`; fee rows from position `feeRowsFrom` on (those not yet stored). */
export function derivedFigures(books: Books, feeRowsFrom = 0): Derived {
  return {
    fees: books.feeRows.slice(feeRowsFrom).map((f) => ({ account: f.account, txid: f.txid, updateCount: f.updateCount, creditMsat: f.creditMsat, debitMsat: f.debitMsat, coinType: f.coinType, timestamp: f.timestamp })),
    externals: externalEvents(books)
      .filter((e) => e.tag === 'deposit' && e.blockheight > 0)
      .map((e) => ({ outpoint: e.outpoint, originAccount: e.originAccount, amountMsat: e.creditMsat, blockheight: e.blockheight })),
    resolutions: books.accounts.filter((a) => a.resolvedBlock > 0).map((a) => ({ account: a.name, resolvedBlock: a.resolvedBlock })),
    problems: problemsOf(books),
  };
}
