import { Column, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../msat.transformer.js';

/** Columns every fact table of the ledger has: its row, its movement, its node and account, its arrival order. */
export abstract class LedgerFactColumns {
  /** bigint in SQL; pg hands it back as a decimal string. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ name: 'movement_id', type: 'text' })
  movementId: string;

  @Column({ name: 'node_id', type: 'text' })
  nodeId: string;

  @Column({ name: 'account_id', type: 'bigint', transformer: bigintTransformer })
  accountId: bigint;

  /** The movement's JetStream sequence: the arrival order CLN's bookkeeping follows. */
  @Column({ name: 'stream_seq', type: 'bigint', nullable: true, transformer: bigintTransformer })
  streamSeq: bigint | null;
}
