import type { ChainEventList } from './chain-events.js';
import type { Problem } from './facts.js';
import { negativeBalances } from './queries.js';
import { externalAccountId, externalEventIndices, type Books } from './state.js';

/** What the reconciler keeps and announces of a node's books. */
export interface Derived {
  readonly fees: { account: string; txid: string; updateCount: number; creditMsat: bigint; debitMsat: bigint; coinType: string; timestamp: number }[];
  /** Sends to `external` whose transaction confirmed. */
  readonly externals: { outpoint: string; originAccount: string | null; amountMsat: bigint; blockheight: number }[];
  readonly resolutions: { account: string; resolvedBlock: number }[];
  readonly problems: Problem[];
}

/**
 * Where a reader of one node's figures got to (derivedFiguresSince): what it need not look at
 * again. A node's fee rows and chain events only grow; a send to `external` is confirmed once
 * (its block set, never unset), so only the sends not confirmed yet are looked at again.
 */
export interface FiguresMark {
  /** The chain events the mark is about; other books (a new fold) are read from the start. */
  readonly chainEvents: ChainEventList | null;
  /** Fee rows handed out. */
  readonly feeRows: number;
  /** Chain events looked at. */
  readonly chainEventsSeen: number;
  /** Those of them that are deposits to `external` not confirmed when looked at, in event order. */
  readonly unconfirmedSends: readonly number[];
  /** The first of them that is a deposit to `external` naming no origin; -1: none. */
  readonly unnamedSend: number;
}

export const FIGURES_START: FiguresMark = { chainEvents: null, feeRows: 0, chainEventsSeen: 0, unconfirmedSends: [], unnamedSend: -1 };

/** A coin movement's send to `external` that names no origin account (CLN cannot say whose coins left). */
function isUnnamedSend(events: ChainEventList, i: number): boolean {
  return events.tagOf(i) === 'deposit' && !events.hasOriginAccount(i) && events.sourceOf(i) === 'coin_movement';
}

/** What does not add up in a node's books, each (code, account) once. */
export function problemsOf(books: Books): Problem[] {
  const events = books.chainEvents;
  return problemsWith(books, externalEventIndices(books).find((i) => isUnnamedSend(events, i)) ?? -1);
}

/** The problems of `books`, the first unnamed send to `external` being event `unnamedSend` (-1: none). */
function problemsWith(books: Books, unnamedSend: number): Problem[] {
  const problems = [...books.problems, ...negativeBalances(books)];
  if (unnamedSend >= 0) {
    const outpoint = books.chainEvents.outpointOf(unnamedSend);
    problems.push({ code: 'external_deposit_without_origin', account: 'external', message: `send to external at ${outpoint} names no origin account` });
  }
  const seen = new Set<string>();
  return problems.filter((p) => {
    // A code has no space: the key is unambiguous.
    const key = `${p.code} ${p.account}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The figures of `books` as of `mark` — the fee rows after it, the sends to `external`
 * confirmed since (looked at before unconfirmed, or new), the resolutions and problems (all:
 * few) — and the mark after them. From FIGURES_START: every figure of the books.
 */
export function derivedFiguresSince(books: Books, mark: FiguresMark): { figures: Derived; mark: FiguresMark } {
  const events = books.chainEvents;
  const from = mark.chainEvents === events ? mark : { ...FIGURES_START, feeRows: mark.feeRows };
  const externalId = externalAccountId(books);
  const confirmed: number[] = [];
  const unconfirmed: number[] = [];
  for (const i of from.unconfirmedSends) (events.blockheightOf(i) > 0 ? confirmed : unconfirmed).push(i);
  let unnamedSend = from.unnamedSend;
  for (let i = from.chainEventsSeen; i < events.length; i++) {
    if (events.accountIdOf(i) !== externalId || events.tagOf(i) !== 'deposit') continue;
    (events.blockheightOf(i) > 0 ? confirmed : unconfirmed).push(i);
    if (unnamedSend < 0 && isUnnamedSend(events, i)) unnamedSend = i;
  }
  const figures: Derived = {
    fees: books.feeRows.slice(from.feeRows).map((f) => ({ account: f.account, txid: f.txid, updateCount: f.updateCount, creditMsat: f.creditMsat, debitMsat: f.debitMsat, coinType: f.coinType, timestamp: f.timestamp })),
    externals: confirmed.map((i) => ({ outpoint: events.outpointOf(i), originAccount: events.originAccountOf(i), amountMsat: events.creditOf(i), blockheight: events.blockheightOf(i) })),
    resolutions: books.accounts.filter((a) => a.resolvedBlock > 0).map((a) => ({ account: a.name, resolvedBlock: a.resolvedBlock })),
    problems: problemsWith(books, unnamedSend),
  };
  return { figures, mark: { chainEvents: events, feeRows: books.feeRows.length, chainEventsSeen: events.length, unconfirmedSends: unconfirmed, unnamedSend } };
}
