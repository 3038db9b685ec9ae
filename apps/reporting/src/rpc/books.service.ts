import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BooksCache, type Books } from '@bkpr/domain';
import { FactsQuery } from '@bkpr/persistence';

/** Each node's books: its facts folded through CLN's bookkeeping, kept up to date incrementally. */
@Injectable()
export class BooksService {
  private readonly facts: FactsQuery;
  private readonly cache: BooksCache;
  private nodesAsOf: { asOf: number; ids: string[] } | null = null;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.facts = new FactsQuery(dataSource);
    this.cache = new BooksCache(this.facts);
  }

  /**
   * The nodes with facts. At a read-your-writes point (`asOf`) every fact up to it is stored,
   * so the nodes it needs are all there by then and are read once per point.
   */
  async nodeIds(asOf?: number): Promise<string[]> {
    if (asOf !== undefined && this.nodesAsOf?.asOf === asOf) return this.nodesAsOf.ids;
    const ids = await this.facts.nodeIds();
    if (asOf !== undefined) this.nodesAsOf = { asOf, ids };
    return ids;
  }

  /** A node's books with every fact up to stream sequence `asOf` (see ReadYourWritesService). */
  booksOf(nodeId: string, asOf: number): Promise<Books> {
    return this.cache.booksOf(nodeId, BigInt(asOf));
  }
}
