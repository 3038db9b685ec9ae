import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An account of one node: `wallet`, a channel (64-hex channel id), `external` or a 3rd-party wallet. */
@Entity({ schema: 'ledger', name: 'accounts' })
@Index('accounts_node_name_key', ['nodeId', 'name'], { unique: true })
export class AccountEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  /** bigint in SQL; pg hands it back as a decimal string. */
  id: string;

  @Column({ name: 'node_id', type: 'text' })
  nodeId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'peer_id', type: 'text', nullable: true })
  peerId: string | null;

  @Column({ name: 'we_opened', type: 'boolean', nullable: true })
  weOpened: boolean | null;

  @Column({ type: 'boolean', default: false })
  leased: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
