import { describe, expect, it } from 'vitest';
import { BooksCache, READ_WINDOW_SEQS, type FactSource } from './books-cache.js';
import { chainFact, tx } from './fact-builders.testing.js';
import type { Fact } from './facts.js';

/** Facts "committed" in any order, as several ledger replicas may commit them. */
class CommittedFacts implements FactSource {
  readonly stored: Fact[] = [];
  reads: [bigint, bigint | null][] = [];

  async factsOf(_nodeId: string, after: bigint, upTo: bigint | null): Promise<Fact[]> {
    this.reads.push([after, upTo]);
    return this.stored.filter((f) => f.seq > after && (upTo === null || f.seq <= upTo)).sort((a, b) => (a.seq < b.seq ? -1 : 1));
  }
}

const deposit = (seq: bigint, creditMsat: bigint) =>
  chainFact({ seq, account: 'wallet', tag: 'deposit', outpoint: `${tx(String(seq))}:0`, creditMsat });

describe('BooksCache', () => {
  it('reads facts only up to the horizon, so a fact committed late below it is never skipped', async () => {
    const facts = new CommittedFacts();
    const cache = new BooksCache(facts);
    facts.stored.push(deposit(1n, 10n), deposit(3n, 30n)); // seq 2 is still being committed elsewhere
    expect((await cache.booksOf('n', 1n)).chainEvents.map((e) => e.creditMsat)).toEqual([10n]);

    facts.stored.push(deposit(2n, 20n));
    const books = await cache.booksOf('n', 3n);
    expect(books.chainEvents.map((e) => e.creditMsat)).toEqual([10n, 20n, 30n]);
    expect(facts.reads).toEqual([[0n, 1n], [1n, 3n]]);
  });

  it('answers from memory when asked for a horizon it already reached', async () => {
    const facts = new CommittedFacts();
    const cache = new BooksCache(facts);
    facts.stored.push(deposit(1n, 10n));
    await cache.booksOf('n', 5n);
    await cache.booksOf('n', 4n);
    expect(facts.reads).toEqual([[0n, 5n]]);
  });

  it('hands out the same books until a new fact is folded', async () => {
    const facts = new CommittedFacts();
    const cache = new BooksCache(facts);
    facts.stored.push(deposit(1n, 10n));
    const first = await cache.booksOf('n', 1n);
    expect(await cache.booksOf('n', 1n)).toBe(first);
    expect(await cache.booksOf('n', 2n)).toBe(first); // read, nothing new
    facts.stored.push(deposit(3n, 30n));
    const later = await cache.booksOf('n', 3n);
    expect(later).not.toBe(first);
    expect(later.chainEvents.map((e) => e.creditMsat)).toEqual([10n, 30n]);
  });

  it('reads a long history window by window, in order, up to the horizon', async () => {
    const facts = new CommittedFacts();
    const cache = new BooksCache(facts);
    const last = 2n * READ_WINDOW_SEQS + 5n;
    facts.stored.push(deposit(1n, 10n), deposit(READ_WINDOW_SEQS + 1n, 20n), deposit(last, 30n));
    expect((await cache.booksOf('n', last)).chainEvents.map((e) => e.creditMsat)).toEqual([10n, 20n, 30n]);
    expect(facts.reads).toEqual([[0n, READ_WINDOW_SEQS], [READ_WINDOW_SEQS, 2n * READ_WINDOW_SEQS], [2n * READ_WINDOW_SEQS, last]]);
  });

  it('keeps what it folded when a read fails midway, and makes new books from it next time', async () => {
    const facts = new CommittedFacts();
    const cache = new BooksCache(facts);
    facts.stored.push(deposit(1n, 10n));
    const first = await cache.booksOf('n', 1n);
    facts.stored.push(deposit(2n, 20n));
    const read = facts.factsOf.bind(facts);
    let calls = 0;
    facts.factsOf = async (nodeId, after, upTo) => (++calls === 2 ? Promise.reject(new Error('connection lost')) : read(nodeId, after, upTo));
    await expect(cache.booksOf('n', READ_WINDOW_SEQS + 2n)).rejects.toThrow('connection lost');
    const books = await cache.booksOf('n', READ_WINDOW_SEQS + 2n);
    expect(books).not.toBe(first);
    expect(books.chainEvents.map((e) => e.creditMsat)).toEqual([10n, 20n]);
  });
});
