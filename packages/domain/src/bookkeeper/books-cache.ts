import type { Fact } from './facts.js';
import { BookKeeper } from './keep-books.js';
import type { Books } from './state.js';

/** New facts of a node since `after` (an opaque cursor; null = from the beginning). */
export interface FactSource {
  factsOf(nodeId: string, after: string | null): Promise<{ facts: Fact[]; cursor: string }>;
}

interface Entry {
  readonly keeper: BookKeeper;
  cursor: string;
  lastSeq: bigint;
}

/**
 * Each node's books kept folded in memory and brought up to date with only the facts stored
 * since: a fold over the whole history happens once, then per new batch. A fact that landed
 * *before* one already folded (replicas commit out of order) means the order changed: that
 * node is folded again from the start, so the books always equal a fold in arrival order.
 */
export class BooksCache {
  private readonly entries = new Map<string, Entry>();
  private readonly busy = new Map<string, Promise<unknown>>();

  constructor(private readonly source: FactSource) {}

  /** Up-to-date books of a node; calls for one node are serialized. */
  booksOf(nodeId: string): Promise<Books> {
    const previous = this.busy.get(nodeId) ?? Promise.resolve();
    const next = previous.then(() => this.refresh(nodeId), () => this.refresh(nodeId));
    this.busy.set(nodeId, next);
    return next;
  }

  private async refresh(nodeId: string): Promise<Books> {
    const entry = this.entries.get(nodeId);
    if (entry) {
      const { facts, cursor } = await this.source.factsOf(nodeId, entry.cursor);
      if (facts.length === 0) return entry.keeper.books();
      const sorted = [...facts].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
      if (sorted[0]!.seq > entry.lastSeq) {
        for (const fact of sorted) entry.keeper.apply(fact);
        entry.cursor = cursor;
        entry.lastSeq = sorted[sorted.length - 1]!.seq;
        return entry.keeper.books();
      }
    }
    const { facts, cursor } = await this.source.factsOf(nodeId, null);
    const keeper = new BookKeeper();
    let lastSeq = 0n;
    for (const fact of facts) {
      keeper.apply(fact);
      if (fact.seq > lastSeq) lastSeq = fact.seq;
    }
    this.entries.set(nodeId, { keeper, cursor, lastSeq });
    return keeper.books();
  }
}
