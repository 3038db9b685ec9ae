import { derivedFigures, type Books, type Derived } from '@bkpr/domain';

/**
 * What of one node's derived figures is stored (by this replica or another), so each pass
 * offers the database only what is new: fee rows by position (a node's fee rows only grow),
 * the other figures by their keys. Forgetting it (a restart) only costs idempotent re-inserts.
 */
export class StoredFigures {
  /** The books whose figures are all stored and announced (the cache hands out new books only when a fact was folded). */
  settledBooks: Books | null = null;
  private feeRows = 0;
  private readonly keys = new Set<string>();

  /** The figures of the node's `books` not stored yet. */
  unstored(books: Books): Derived {
    const all = derivedFigures(books, this.feeRows);
    return {
      fees: all.fees,
      externals: all.externals.filter((e) => !this.keys.has(externalKey(e))),
      resolutions: all.resolutions.filter((r) => !this.keys.has(resolutionKey(r))),
      problems: all.problems.filter((p) => !this.keys.has(problemKey(p))),
    };
  }

  /** After `figures` (from `unstored`) were stored. */
  remember(figures: Derived): void {
    this.feeRows += figures.fees.length;
    for (const e of figures.externals) this.keys.add(externalKey(e));
    for (const r of figures.resolutions) this.keys.add(resolutionKey(r));
    for (const p of figures.problems) this.keys.add(problemKey(p));
  }
}

const externalKey = (e: Derived['externals'][number]) => `external ${e.outpoint}`;
const resolutionKey = (r: Derived['resolutions'][number]) => `resolved ${r.account} ${r.resolvedBlock}`;
const problemKey = (p: Derived['problems'][number]) => `problem ${p.code} ${p.account}`;
