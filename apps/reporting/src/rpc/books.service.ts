import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BooksCache, type Books } from '@bkpr/domain';
import { FactsQuery } from '@bkpr/persistence';

/** Each node's books: its facts folded through CLN's bookkeeping, kept up to date incrementally. */
@Injectable()
export class BooksService {
  private readonly facts: FactsQuery;
  private readonly cache: BooksCache;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.facts = new FactsQuery(dataSource);
    this.cache = new BooksCache(this.facts);
  }

  /** The nodes with facts (as of a read-your-writes point, when given). */
  nodeIds(asOf?: number): Promise<string[]> {
    return this.facts.nodeIds(asOf === undefined ? undefined : BigInt(asOf));
  }

  /** A node's books with every fact up to stream sequence `asOf` (see ReadYourWritesService). */
  booksOf(nodeId: string, asOf: number): Promise<Books> {
    return this.cache.booksOf(nodeId, BigInt(asOf));
  }
}
