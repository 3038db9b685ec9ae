import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the reconciler derived from the facts and announced: on-chain fee deltas, confirmed
 * sends to external, resolved channels, problems. Each row is announced once on
 * `<ns>.derived.<node>.<kind>`; re-deriving the same figure inserts nothing.
 */
export class ReconcilerDerived1764298800000 implements MigrationInterface {
  name = 'ReconcilerDerived1764298800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS reconciler`);
    await q.query(`
      CREATE TABLE reconciler.onchain_fees (
        node_id text NOT NULL,
        account text NOT NULL,
        txid text NOT NULL,
        update_count integer NOT NULL,
        credit_msat numeric(20,0) NOT NULL,
        debit_msat numeric(20,0) NOT NULL,
        coin_type text NOT NULL,
        timestamp bigint NOT NULL,
        PRIMARY KEY (node_id, account, txid, update_count)
      )`);
    await q.query(`
      CREATE TABLE reconciler.external_finalized (
        node_id text NOT NULL,
        outpoint text NOT NULL,
        origin_account text,
        amount_msat numeric(20,0) NOT NULL,
        blockheight integer NOT NULL,
        PRIMARY KEY (node_id, outpoint)
      )`);
    await q.query(`
      CREATE TABLE reconciler.channel_resolutions (
        node_id text NOT NULL,
        account text NOT NULL,
        resolved_block integer NOT NULL,
        PRIMARY KEY (node_id, account)
      )`);
    await q.query(`
      CREATE TABLE reconciler.problems (
        node_id text NOT NULL,
        code text NOT NULL,
        account text NOT NULL,
        message text NOT NULL,
        found_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (node_id, code, account)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA reconciler CASCADE`);
  }
}
