import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintTransformer } from '../msat.transformer.js';

/**
 * How far a consumer has durably processed its stream, written in the same transaction
 * as the work. Reporting waits on it for read-your-writes.
 */
@Entity({ schema: 'bus', name: 'consumer_watermarks' })
export class ConsumerWatermarkEntity {
  @PrimaryColumn({ type: 'text' })
  consumer: string;

  @Column({ name: 'stream_seq', type: 'bigint', transformer: bigintTransformer })
  streamSeq: bigint;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
