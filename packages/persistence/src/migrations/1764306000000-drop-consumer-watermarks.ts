import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The consumers' max-sequence watermarks go: nothing read them (read-your-writes and the
 * reconciler's horizon use the ledger consumer's gap-free ack floor), and the one row every
 * ledger transaction updated made concurrent transactions wait for each other.
 */
export class DropConsumerWatermarks1764306000000 implements MigrationInterface {
  name = 'DropConsumerWatermarks1764306000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE bus.consumer_watermarks`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bus.consumer_watermarks (
        consumer text PRIMARY KEY,
        stream_seq bigint NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }
}
