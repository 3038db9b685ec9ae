import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { factFromMovement, keepBooks, type Books } from '@bkpr/domain';
import { FactsQuery } from '@bkpr/persistence';

/**
 * A node's books: its facts from PostgreSQL folded through CLN's bookkeeping. Folded again
 * only when the node got new facts (the cache is keyed by the stream position it reflects).
 */
@Injectable()
export class BooksService {
  private readonly facts: FactsQuery;
  private readonly cache = new Map<string, { asOf: number; books: Books }>();

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.facts = new FactsQuery(dataSource);
  }

  nodeIds(): Promise<string[]> {
    return this.facts.nodeIds();
  }

  async booksOf(nodeId: string, asOf: number): Promise<Books> {
    const cached = this.cache.get(nodeId);
    if (cached && cached.asOf === asOf) return cached.books;
    const movements = await this.facts.movementsOf(nodeId);
    const books = keepBooks(movements.map((m) => factFromMovement(m.movement, m.streamSeq)));
    this.cache.set(nodeId, { asOf, books });
    return books;
  }
}
