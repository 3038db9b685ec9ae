import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Facts are read per node in arrival order (the `*_node_seq_idx` indexes) and folded in
 * memory; no query looks them up by account, spending txid or payment hash. Those indexes
 * only cost every insert: they go. The unique keys that make storing idempotent stay.
 */
export class DropUnreadFactIndexes1764309600000 implements MigrationInterface {
  name = 'DropUnreadFactIndexes1764309600000';

  async up(q: QueryRunner): Promise<void> {
    for (const index of ['chain_events_account_idx', 'chain_events_spending_txid_idx', 'channel_events_account_idx', 'channel_events_payment_id_idx', 'balance_snapshots_account_idx']) {
      await q.query(`DROP INDEX ledger.${index}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX chain_events_account_idx ON ledger.chain_events (account_id, id)`);
    await q.query(`CREATE INDEX chain_events_spending_txid_idx ON ledger.chain_events (spending_txid) WHERE spending_txid IS NOT NULL`);
    await q.query(`CREATE INDEX channel_events_account_idx ON ledger.channel_events (account_id, id)`);
    await q.query(`CREATE INDEX channel_events_payment_id_idx ON ledger.channel_events (payment_id) WHERE payment_id IS NOT NULL`);
    await q.query(`CREATE INDEX balance_snapshots_account_idx ON ledger.balance_snapshots (account_id, timestamp)`);
  }
}
