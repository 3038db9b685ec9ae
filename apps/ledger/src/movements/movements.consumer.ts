import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Movement, RecordedEvent } from '@bkpr/contracts';
import { NatsClient, publishAll, type JetStreamBatch } from '@bkpr/messaging';
import { LedgerFactsRepository } from '@bkpr/persistence';

export const MOVEMENTS_PATTERN = 'ledger.movements';

/**
 * Stores each fetched batch of movements in one transaction, then announces every
 * movement of the batch on `<ns>.recorded.*` (msg-id = movement id, so a redelivery after
 * a crash between commit and publish announces it again, harmlessly).
 */
@Controller()
export class MovementsConsumer {
  private readonly facts: LedgerFactsRepository;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(NatsClient) private readonly nats: NatsClient,
    @InjectPinoLogger(MovementsConsumer.name) private readonly logger: PinoLogger,
  ) {
    this.facts = new LedgerFactsRepository(dataSource);
  }

  @EventPattern(MOVEMENTS_PATTERN)
  async record(@Payload() batch: JetStreamBatch<Movement>): Promise<void> {
    const { storedIds } = await this.facts.record(batch.messages.map((m) => ({ movement: m.value, streamSeq: BigInt(m.streamSeq) })));
    const names = this.nats.names;
    await publishAll(
      this.nats,
      batch.messages.map(({ value: m, streamSeq }) => {
        const event: RecordedEvent = {
          v: 1,
          movement_id: m.id,
          node_id: m.nodeId,
          kind: m.kind,
          account: m.account,
          outpoint: m.outpoint,
          spending_txid: m.spendingTxid,
          stream_seq: streamSeq,
        };
        return { subject: names.recordedSubject(m.nodeId, m.kind), payload: event, msgId: m.id };
      }),
    );
    this.logger.info({ size: batch.messages.length, stored: storedIds.size, last_seq: batch.lastStreamSeq }, 'movements recorded');
  }
}
