import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import type { DerivedEvent, RecordedEvent } from '@bkpr/contracts';
import { BooksCache, derivedFigures } from '@bkpr/domain';
import { NatsClient, publishAll, type JetStreamBatch } from '@bkpr/messaging';
import { advanceWatermark, DerivedRepository, FactsQuery, type NewlyDerived } from '@bkpr/persistence';
import { RECONCILER_METRICS } from './reconciler.metrics.js';

export const RECORDED_PATTERN = 'reconciler.recorded';
export const RECONCILER_CONSUMER = 'reconciler';

/**
 * Reacts to stored facts: for every node the batch touched, brings the node's books up to
 * date (folding only the new facts, in arrival order) and stores what is derived from them — on-chain fee deltas, confirmed
 * sends to external, resolved channels, problems — announcing each new figure once on
 * `<ns>.derived.<node>.<kind>`. Recomputed from the facts, so order and repeats do not
 * matter; one writer per node at a time (an advisory lock).
 */
@Controller()
export class RecordedConsumer {
  private readonly books: BooksCache;
  private readonly derived: DerivedRepository;
  /** Fee rows of a node's books already stored (keyed by the books' row list: a re-fold starts over). */
  private readonly feeRowsStored = new WeakMap<object, number>();

  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(NatsClient) private readonly nats: NatsClient,
    @InjectPinoLogger(RecordedConsumer.name) private readonly logger: PinoLogger,
    @InjectMetric(RECONCILER_METRICS.problems) private readonly problemsFound: Counter<'code'>,
  ) {
    this.books = new BooksCache(new FactsQuery(dataSource));
    this.derived = new DerivedRepository(dataSource);
  }

  @EventPattern(RECORDED_PATTERN)
  async reconcile(@Payload() batch: JetStreamBatch<RecordedEvent>): Promise<void> {
    const nodes = [...new Set(batch.messages.map((m) => m.value.node_id))];
    for (const nodeId of nodes) {
      const books = await this.books.booksOf(nodeId);
      const stored = this.feeRowsStored.get(books.feeRows) ?? 0;
      const newly = await this.derived.store(nodeId, derivedFigures(books, stored));
      this.feeRowsStored.set(books.feeRows, books.feeRows.length);
      await this.announce(nodeId, newly);
    }
    await this.dataSource.transaction((tx) => advanceWatermark(tx, RECONCILER_CONSUMER, BigInt(batch.lastStreamSeq)));
    this.logger.debug({ size: batch.messages.length, nodes: nodes.length, last_seq: batch.lastStreamSeq }, 'recorded events reconciled');
  }

  private async announce(nodeId: string, newly: NewlyDerived): Promise<void> {
    const names = this.nats.names;
    const events: { event: DerivedEvent; key: string }[] = [
      ...newly.fees.map((f) => ({
        key: `${f.account}:${f.txid}:${f.updateCount}`,
        event: { v: 1, kind: 'onchain_fee', node_id: nodeId, account: f.account, txid: f.txid, update_count: f.updateCount, credit_msat: f.creditMsat.toString(), debit_msat: f.debitMsat.toString(), currency: f.coinType, timestamp: f.timestamp } as const,
      })),
      ...newly.externals.map((e) => ({
        key: e.outpoint,
        event: { v: 1, kind: 'external_finalized', node_id: nodeId, outpoint: e.outpoint, origin_account: e.originAccount, amount_msat: e.amountMsat.toString(), blockheight: e.blockheight } as const,
      })),
      ...newly.resolutions.map((r) => ({
        key: `${r.account}:${r.resolvedBlock}`,
        event: { v: 1, kind: 'channel_resolved', node_id: nodeId, account: r.account, resolved_at_block: r.resolvedBlock } as const,
      })),
      ...newly.problems.map((p) => ({
        key: `${p.code}:${p.account}`,
        event: { v: 1, kind: 'problem', node_id: nodeId, code: p.code, account: p.account, message: p.message } as const,
      })),
    ];
    for (const p of newly.problems) {
      this.problemsFound.inc({ code: p.code });
      this.logger.warn({ node_id: nodeId, code: p.code, account: p.account, reason: p.message }, 'problem found');
    }
    if (events.length === 0) return;
    await publishAll(
      this.nats,
      events.map(({ event, key }) => ({ subject: names.derivedSubject(nodeId, event.kind), payload: event, msgId: `${nodeId}:${event.kind}:${key}` })),
    );
  }
}
