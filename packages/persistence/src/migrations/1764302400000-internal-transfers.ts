import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Internal transfers the reconciler found: an output that moved coins from one account we
 * track to another (nodes' wallets, 3rd-party wallets). One row per output, whichever node's
 * facts revealed it: storing it again inserts nothing, so it is announced once.
 */
export class InternalTransfers1764302400000 implements MigrationInterface {
  name = 'InternalTransfers1764302400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE reconciler.internal_transfers (
        outpoint text PRIMARY KEY,
        txid text NOT NULL,
        amount_msat numeric(20,0) NOT NULL,
        coin_type text NOT NULL,
        from_node_id text NOT NULL,
        from_account text NOT NULL,
        to_node_id text NOT NULL,
        to_account text NOT NULL,
        blockheight integer NOT NULL,
        timestamp bigint NOT NULL,
        found_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX internal_transfers_from_node ON reconciler.internal_transfers (from_node_id)`);
    await q.query(`CREATE INDEX internal_transfers_to_node ON reconciler.internal_transfers (to_node_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reconciler.internal_transfers`);
  }
}
