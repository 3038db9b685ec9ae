import { derivedFiguresSince, FIGURES_START, type Books, type Derived, type FiguresMark } from '@bkpr/domain';

/**
 * What of one node's derived figures is stored (by this replica or another), so each pass
 * offers the database only what is new: fee rows and sends to external past the mark of the
 * figures stored (a node's books only grow), the other figures by their keys. Forgetting it (a
 * restart) only costs idempotent re-inserts.
 */
export class StoredFigures {
  /** The books whose figures are all stored and announced (the cache hands out new books only when a fact was folded). */
  settledBooks: Books | null = null;
  /** Where the figures stored got to. */
  private mark: FiguresMark = FIGURES_START;
  /** Where those `unstored` gave last got to: the mark once they are stored. */
  private offered: FiguresMark | null = null;
  private readonly keys = new Set<string>();
  /** The blocks each account's resolutions were stored at (looked up each pass for every resolved channel: no key made). */
  private readonly resolved = new Map<string, Set<number>>();

  /** The figures of the node's `books` not stored yet. */
  unstored(books: Books): Derived {
    const { figures, mark } = derivedFiguresSince(books, this.mark);
    this.offered = mark;
    return {
      fees: figures.fees,
      externals: figures.externals.filter((e) => !this.keys.has(externalKey(e))),
      resolutions: figures.resolutions.filter((r) => this.resolved.get(r.account)?.has(r.resolvedBlock) !== true),
      problems: figures.problems.filter((p) => !this.keys.has(problemKey(p))),
    };
  }

  /** After `figures` (from the last `unstored`) were stored. */
  remember(figures: Derived): void {
    if (this.offered !== null) this.mark = this.offered;
    this.offered = null;
    for (const e of figures.externals) this.keys.add(externalKey(e));
    for (const r of figures.resolutions) {
      const blocks = this.resolved.get(r.account);
      if (blocks) blocks.add(r.resolvedBlock);
      else this.resolved.set(r.account, new Set([r.resolvedBlock]));
    }
    for (const p of figures.problems) this.keys.add(problemKey(p));
  }
}

const externalKey = (e: Derived['externals'][number]) => `external ${e.outpoint}`;
const problemKey = (p: Derived['problems'][number]) => `problem ${p.code} ${p.account}`;
