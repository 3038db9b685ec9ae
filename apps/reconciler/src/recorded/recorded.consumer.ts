import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import type { RecordedEvent } from '@bkpr/contracts';
import type { JetStreamBatch } from '@bkpr/messaging';
import { advanceWatermark } from '@bkpr/persistence';

export const RECORDED_PATTERN = 'reconciler.recorded';
export const RECONCILER_CONSUMER = 'reconciler';

/**
 * Reacts to stored facts. The derived figures (on-chain fees, external-send finality,
 * close resolution) are recomputed here per affected txid; for now it advances the
 * reconciler's watermark so reporting can wait for it.
 */
@Controller()
export class RecordedConsumer {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @InjectPinoLogger(RecordedConsumer.name) private readonly logger: PinoLogger,
  ) {}

  @EventPattern(RECORDED_PATTERN)
  async reconcile(@Payload() batch: JetStreamBatch<RecordedEvent>): Promise<void> {
    await this.dataSource.transaction(async (tx) => {
      await advanceWatermark(tx, RECONCILER_CONSUMER, BigInt(batch.lastStreamSeq));
    });
    this.logger.debug({ size: batch.messages.length, last_seq: batch.lastStreamSeq }, 'recorded events reconciled');
  }
}
