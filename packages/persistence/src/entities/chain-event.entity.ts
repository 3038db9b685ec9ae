import { Column, Entity, Index } from 'typeorm';
import { LedgerFactColumns } from './ledger-fact.columns.js';
import { bigintTransformer, msatTransformer } from '../msat.transformer.js';

/** A bitcoin output seen by an account: its creation (credit) or its spend (debit). Append-only. */
@Entity({ schema: 'ledger', name: 'chain_events' })
@Index('chain_events_movement_id_key', ['movementId'], { unique: true })
export class ChainEventEntity extends LedgerFactColumns {
  /** `chain` (the node's own), `utxo_deposit` or `utxo_spend` (a 3rd-party wallet's). */
  @Column({ type: 'text', default: 'chain' })
  kind: string;

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
