import { Controller, Inject, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import type { DerivedEvent, RecordedEvent } from '@bkpr/contracts';
import { BooksCache, InternalTransferFinder, type InternalTransfer, type NodeBooks } from '@bkpr/domain';
import { NatsClient, publishAll, waitForLedgerFloor, type JetStreamBatch } from '@bkpr/messaging';
import { DerivedRepository, FactsQuery, type NewlyDerived } from '@bkpr/persistence';
import { RECONCILER_METRICS } from './reconciler.metrics.js';
import { StoredFigures } from './stored-figures.js';

export const RECORDED_PATTERN = 'reconciler.recorded';
/** How long a batch waits for the ledger's ack floor to pass its facts before it goes on with less. */
const FLOOR_WAIT_MS = 2_000;
/** How often every node is brought up to the ledger's ack floor, whatever was announced. */
const CATCH_UP_EVERY_MS = 1_000;

/**
 * Reacts to stored facts: for every node the batch touched, brings the node's books up to
 * date (folding only the new facts, in arrival order) and stores what is derived from them —
 * on-chain fee deltas, confirmed sends to external, resolved channels, problems, internal
 * transfers between the organization's accounts — announcing each new figure once on
 * `<ns>.derived.<node>.<kind>`. Recomputed from the facts, so order and repeats do not
 * matter; one writer per node at a time (an advisory lock).
 */
@Controller()
export class RecordedConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private catchUpTimer: NodeJS.Timeout | null = null;
  /** The ack floor every known node was last brought up to. */
  private reconciledTo = 0;
  /** The highest ledger ack floor seen: every fact up to it is stored (acks follow commits and are never taken back). */
  private floorSeen = 0;
  private readonly books: BooksCache;
  private readonly facts: FactsQuery;
  private readonly derived: DerivedRepository;
  /** What of each node's figures is stored. */
  private readonly figuresStored = new Map<string, StoredFigures>();
  /** Outpoints of the internal transfers stored (by this replica or another) and announced. */
  private readonly transfersStored = new Set<string>();
  /** Finds them again after each fold, reading only what the fold added. */
  private readonly transfers = new InternalTransferFinder();

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(NatsClient) private readonly nats: NatsClient,
    @InjectPinoLogger(RecordedConsumer.name) private readonly logger: PinoLogger,
    @InjectMetric(RECONCILER_METRICS.problems) private readonly problemsFound: Counter<'code'>,
  ) {
    this.facts = new FactsQuery(dataSource);
    this.books = new BooksCache(this.facts);
    this.derived = new DerivedRepository(dataSource);
  }

  @EventPattern(RECORDED_PATTERN)
  async reconcile(@Payload() batch: JetStreamBatch<RecordedEvent>): Promise<void> {
    const target = Math.max(...batch.messages.map((m) => m.value.stream_seq));
    // A floor seen already past the batch's facts needs no new look (a consumer info request).
    const horizon = target <= this.floorSeen ? this.floorSeen : ((await this.ledgerFloor(target, FLOOR_WAIT_MS)) ?? (await this.ledgerFloor(0, 0)));
    const nodes = [...new Set(batch.messages.map((m) => m.value.node_id))];
    await this.reconcileNodes(nodes, horizon ?? 0);
    this.logger.debug({ size: batch.messages.length, nodes: nodes.length, last_seq: batch.lastStreamSeq, horizon }, 'recorded events reconciled');
  }

  onApplicationBootstrap(): void {
    let running = false;
    this.catchUpTimer = setInterval(() => {
      if (running) return;
      running = true;
      this.catchUp()
        .catch((error: Error) => this.logger.warn({ err: error.message }, 'catch-up failed; the next round retries'))
        .finally(() => (running = false));
    }, CATCH_UP_EVERY_MS);
  }

  onApplicationShutdown(): void {
    if (this.catchUpTimer) clearInterval(this.catchUpTimer);
  }

  /**
   * Facts are read only up to the ledger's ack floor (below it every fact is stored, however
   * many ledger replicas commit in whatever order); a batch whose facts were above the floor
   * went on with less, so every node is brought up to the floor on a timer as well.
   */
  private async catchUp(): Promise<void> {
    const floor = await this.ledgerFloor(0, 0);
    if (floor === null || floor <= this.reconciledTo) return;
    await this.reconcileNodes(await this.facts.nodeIds(BigInt(floor)), floor);
    this.reconciledTo = floor;
  }

  /** The ledger consumer's ack floor once it reached `target` (null: not within `timeoutMs`). */
  private async ledgerFloor(target: number, timeoutMs: number): Promise<number | null> {
    const floor = await waitForLedgerFloor(this.nats, { target, timeoutMs });
    if (floor !== null && floor > this.floorSeen) this.floorSeen = floor;
    return floor;
  }

  /**
   * Brings each node's books up to `horizon` and stores and announces what is newly derived;
   * a node whose books did not change since its figures were stored is skipped.
   */
  private async reconcileNodes(nodes: readonly string[], horizon: number): Promise<void> {
    const changed: string[] = [];
    for (const nodeId of nodes) {
      const books = await this.books.booksOf(nodeId, BigInt(horizon));
      let stored = this.figuresStored.get(nodeId);
      if (!stored) this.figuresStored.set(nodeId, (stored = new StoredFigures()));
      if (stored.settledBooks === books) continue;
      const figures = stored.unstored(books);
      const newly = await this.derived.store(nodeId, figures);
      stored.remember(figures);
      await this.announce(nodeId, newly);
      stored.settledBooks = books;
      changed.push(nodeId);
    }
    if (changed.length > 0) await this.reconcileInternalTransfers(changed, BigInt(horizon));
  }

  /**
   * Internal transfers with a side on one of `touched`: the other side may be on any node or
   * 3rd-party feed, so every node's books are read, at the horizon of the per-node work. Each
   * is stored once by its outpoint and, when new, announced once under its sending node.
   * Outpoints this replica already stored are not offered again.
   */
  private async reconcileInternalTransfers(touched: readonly string[], horizon: bigint): Promise<void> {
    const org: NodeBooks[] = [];
    for (const nodeId of await this.facts.nodeIds(horizon)) org.push({ nodeId, books: await this.books.booksOf(nodeId, horizon) });
    const found = this.transfers.find(org, new Set(touched), this.transfersStored);
    if (found.length === 0) return;
    const newly = await this.derived.storeInternalTransfers(found);
    await this.announceInternalTransfers(newly);
    for (const t of found) this.transfersStored.add(t.outpoint);
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

  private async announceInternalTransfers(transfers: readonly InternalTransfer[]): Promise<void> {
    if (transfers.length === 0) return;
    await publishAll(
      this.nats,
      transfers.map((t) => {
        const event: DerivedEvent = {
          v: 1, kind: 'internal_transfer', node_id: t.from.nodeId, outpoint: t.outpoint, txid: t.txid, amount_msat: t.amountMsat.toString(), currency: t.currency,
          from: { node_id: t.from.nodeId, account: t.from.account }, to: { node_id: t.to.nodeId, account: t.to.account }, blockheight: t.blockheight, timestamp: t.timestamp,
        };
        return { subject: this.nats.names.derivedSubject(t.from.nodeId, 'internal_transfer'), payload: event, msgId: `${t.from.nodeId}:internal_transfer:${t.outpoint}` };
      }),
    );
    for (const t of transfers) {
      this.logger.info({ node_id: t.from.nodeId, outpoint: t.outpoint, to_node_id: t.to.nodeId, amount_msat: t.amountMsat.toString() }, 'internal transfer announced');
    }
  }
}
