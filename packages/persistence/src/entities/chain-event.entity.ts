import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer, msatTransformer } from '../msat.transformer.js';

/** A bitcoin output seen by an account: its creation (credit) or its spend (debit). Append-only. */
@Entity({ schema: 'ledger', name: 'chain_events' })
@Index('chain_events_movement_id_key', ['movementId'], { unique: true })
export class ChainEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  /** bigint in SQL; pg hands it back as a decimal string. */
  id: string;

  @Column({ name: 'movement_id', type: 'text' })
  movementId: string;

  @Column({ name: 'node_id', type: 'text' })
  nodeId: string;

  @Column({ name: 'account_id', type: 'bigint', transformer: bigintTransformer })
  accountId: bigint;

  @Column({ type: 'text' })
  tag: string;

  @Column({ name: 'extra_tags', type: 'text', array: true, default: () => "'{}'" })
  extraTags: string[];

  @Column({ name: 'credit_msat', type: 'numeric', precision: 20, scale: 0, transformer: msatTransformer })
  creditMsat: bigint;

  @Column({ name: 'debit_msat', type: 'numeric', precision: 20, scale: 0, transformer: msatTransformer })
  debitMsat: bigint;

  @Column({ name: 'output_msat', type: 'numeric', precision: 20, scale: 0, nullable: true, transformer: msatTransformer })
  outputMsat: bigint | null;

  @Column({ type: 'text' })
  outpoint: string;

  @Column({ name: 'spending_txid', type: 'text', nullable: true })
  spendingTxid: string | null;

  @Column({ name: 'payment_id', type: 'text', nullable: true })
  paymentId: string | null;

  @Column({ type: 'integer', nullable: true })
  blockheight: number | null;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  timestamp: bigint;

  @Column({ name: 'coin_type', type: 'text' })
  coinType: string;

  @Column({ name: 'origin_account', type: 'text', nullable: true })
  originAccount: string | null;

  @Column({ name: 'output_count', type: 'integer', nullable: true })
  outputCount: number | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;
}
