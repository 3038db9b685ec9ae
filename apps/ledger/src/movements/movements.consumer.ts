import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { Movement } from '@bkpr/contracts';
import { NatsClient, publishAll, type JetStreamBatch } from '@bkpr/messaging';
import { LedgerFactsRepository } from '@bkpr/persistence';
import { announcementsOf } from './announcements.js';

export const MOVEMENTS_PATTERN = 'ledger.movements';

/**
 * Stores each fetched batch of movements in one transaction, then announces the batch on
 * `<ns>.recorded.*`, one message per node and kind (a redelivery after a crash between
 * commit and publish announces it again, harmlessly).
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
    const sequenced = batch.messages.map((m) => ({ movement: m.value, streamSeq: BigInt(m.streamSeq) }));
    const { storedIds } = await this.facts.record(sequenced);
    const names = this.nats.names;
    await publishAll(
      this.nats,
      announcementsOf(sequenced).map(({ event, msgId }) => ({ subject: names.recordedSubject(event.node_id, event.kind), payload: event, msgId })),
    );
    this.logger.info({ size: batch.messages.length, stored: storedIds.size, last_seq: batch.lastStreamSeq }, 'movements recorded');
  }
}
