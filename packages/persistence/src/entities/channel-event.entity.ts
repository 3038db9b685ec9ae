import { Column, Entity, Index } from 'typeorm';
import { LedgerFactColumns } from './ledger-fact.columns.js';
import { bigintTransformer, msatTransformer } from '../msat.transformer.js';

/** An HTLC or channel-level change of a channel account. Append-only. */
@Entity({ schema: 'ledger', name: 'channel_events' })
@Index('channel_events_movement_id_key', ['movementId'], { unique: true })
export class ChannelEventEntity extends LedgerFactColumns {
  @Column({ type: 'text' })
  tag: string;

  @Column({ name: 'extra_tags', type: 'text', array: true, default: () => "'{}'" })
  extraTags: string[];

  @Column({ name: 'credit_msat', type: 'numeric', precision: 20, scale: 0, transformer: msatTransformer })
  creditMsat: bigint;

  @Column({ name: 'debit_msat', type: 'numeric', precision: 20, scale: 0, transformer: msatTransformer })
  debitMsat: bigint;

  @Column({ name: 'fees_msat', type: 'numeric', precision: 20, scale: 0, transformer: msatTransformer })
  feesMsat: bigint;

  @Column({ name: 'payment_id', type: 'text', nullable: true })
  paymentId: string | null;

  @Column({ name: 'part_id', type: 'bigint', nullable: true, transformer: bigintTransformer })
  partId: bigint | null;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  timestamp: bigint;

  @Column({ name: 'coin_type', type: 'text' })
  coinType: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;
}
