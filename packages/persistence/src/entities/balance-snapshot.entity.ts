import { Column, Entity, Index } from 'typeorm';
import { LedgerFactColumns } from './ledger-fact.columns.js';
import { bigintTransformer, msatTransformer } from '../msat.transformer.js';

/** The balance a node reported for one of its accounts at a point in time. Append-only. */
@Entity({ schema: 'ledger', name: 'balance_snapshots' })
@Index('balance_snapshots_movement_id_key', ['movementId'], { unique: true })
export class BalanceSnapshotEntity extends LedgerFactColumns {
  @Column({ name: 'balance_msat', type: 'numeric', precision: 20, scale: 0, transformer: msatTransformer })
  balanceMsat: bigint;

  @Column({ name: 'coin_type', type: 'text' })
  coinType: string;

  @Column({ type: 'integer', nullable: true })
  blockheight: number | null;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  timestamp: bigint;
}
