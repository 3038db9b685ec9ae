import type { DataSource } from 'typeorm';
import type { Derived, InternalTransfer } from '@bkpr/domain';

/** What was new this time (not derived before), to announce: the same shape as what was derived. */
export type NewlyDerived = Derived;

/**
 * The reconciler's tables. One node's figures are stored under a transaction-scoped
 * advisory lock on the node, so replicas never interleave their writes for it; inserts are
 * idempotent, and only rows not seen before come back to be announced.
 */
export class DerivedRepository {
  constructor(private readonly dataSource: DataSource) {}

  async store(nodeId: string, figures: Derived): Promise<NewlyDerived> {
    if (Object.values(figures).every((list: readonly unknown[]) => list.length === 0)) return figures;
    return this.dataSource.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('bkpr-reconciler'), hashtext($1))`, [nodeId]);
      const fees: { account: string; txid: string; update_count: number }[] = figures.fees.length
        ? await tx.query(
            `INSERT INTO reconciler.onchain_fees (node_id, account, txid, update_count, credit_msat, debit_msat, coin_type, timestamp)
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::integer[], $5::numeric[], $6::numeric[], $7::text[], $8::bigint[])
             ON CONFLICT DO NOTHING RETURNING account, txid, update_count`,
            [nodeId, figures.fees.map((f) => f.account), figures.fees.map((f) => f.txid), figures.fees.map((f) => f.updateCount),
              figures.fees.map((f) => f.creditMsat.toString()), figures.fees.map((f) => f.debitMsat.toString()), figures.fees.map((f) => f.coinType), figures.fees.map((f) => f.timestamp)],
          )
        : [];
      const externals: { outpoint: string }[] = figures.externals.length
        ? await tx.query(
            `INSERT INTO reconciler.external_finalized (node_id, outpoint, origin_account, amount_msat, blockheight)
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::numeric[], $5::integer[])
             ON CONFLICT DO NOTHING RETURNING outpoint`,
            [nodeId, figures.externals.map((e) => e.outpoint), figures.externals.map((e) => e.originAccount), figures.externals.map((e) => e.amountMsat.toString()), figures.externals.map((e) => e.blockheight)],
          )
        : [];
      const resolutions: { account: string }[] = figures.resolutions.length
        ? await tx.query(
            `INSERT INTO reconciler.channel_resolutions (node_id, account, resolved_block)
             SELECT $1, * FROM unnest($2::text[], $3::integer[])
             ON CONFLICT (node_id, account) DO UPDATE SET resolved_block = EXCLUDED.resolved_block
               WHERE reconciler.channel_resolutions.resolved_block <> EXCLUDED.resolved_block
             RETURNING account`,
            [nodeId, figures.resolutions.map((r) => r.account), figures.resolutions.map((r) => r.resolvedBlock)],
          )
        : [];
      const problems: { code: string; account: string }[] = figures.problems.length
        ? await tx.query(
            `INSERT INTO reconciler.problems (node_id, code, account, message)
             SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])
             ON CONFLICT DO NOTHING RETURNING code, account`,
            [nodeId, figures.problems.map((p) => p.code), figures.problems.map((p) => p.account), figures.problems.map((p) => p.message)],
          )
        : [];
      const feeKeys = new Set(fees.map((f) => `${f.account}|${f.txid}|${f.update_count}`));
      const externalKeys = new Set(externals.map((e) => e.outpoint));
      const resolvedKeys = new Set(resolutions.map((r) => r.account));
      const problemKeys = new Set(problems.map((p) => `${p.code}|${p.account}`));
      return {
        fees: figures.fees.filter((f) => feeKeys.has(`${f.account}|${f.txid}|${f.updateCount}`)),
        externals: figures.externals.filter((e) => externalKeys.has(e.outpoint)),
        resolutions: figures.resolutions.filter((r) => resolvedKeys.has(r.account)),
        problems: figures.problems.filter((p) => problemKeys.has(`${p.code}|${p.account}`)),
      };
    });
  }

  /**
   * Stores internal transfers, each once by its outpoint, whichever node's facts revealed it
   * (no lock needed: a concurrent insert of the same outpoint waits and then inserts nothing).
   * Returns those not stored before, to announce.
   */
  async storeInternalTransfers(transfers: readonly InternalTransfer[]): Promise<InternalTransfer[]> {
    if (transfers.length === 0) return [];
    const stored: { outpoint: string }[] = await this.dataSource.query(
      `INSERT INTO reconciler.internal_transfers (outpoint, txid, amount_msat, coin_type, from_node_id, from_account, to_node_id, to_account, blockheight, timestamp)
       SELECT * FROM unnest($1::text[], $2::text[], $3::numeric[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::integer[], $10::bigint[])
       ON CONFLICT DO NOTHING RETURNING outpoint`,
      [transfers.map((t) => t.outpoint), transfers.map((t) => t.txid), transfers.map((t) => t.amountMsat.toString()), transfers.map((t) => t.currency),
        transfers.map((t) => t.from.nodeId), transfers.map((t) => t.from.account), transfers.map((t) => t.to.nodeId), transfers.map((t) => t.to.account),
        transfers.map((t) => t.blockheight), transfers.map((t) => t.timestamp)],
    );
    const storedOutpoints = new Set(stored.map((r) => r.outpoint));
    return transfers.filter((t) => storedOutpoints.has(t.outpoint));
  }

  /** The stored internal transfers with a side on `nodeId` (null: all), by block, then outpoint. */
  async internalTransfers(nodeId: string | null): Promise<InternalTransfer[]> {
    const rows: { outpoint: string; txid: string; amount_msat: string; coin_type: string; from_node_id: string; from_account: string; to_node_id: string; to_account: string; blockheight: number; timestamp: string }[] =
      await this.dataSource.query(
        `SELECT outpoint, txid, amount_msat::text, coin_type, from_node_id, from_account, to_node_id, to_account, blockheight, timestamp::text
         FROM reconciler.internal_transfers WHERE $1::text IS NULL OR from_node_id = $1 OR to_node_id = $1 ORDER BY blockheight, outpoint`,
        [nodeId],
      );
    return rows.map((r) => ({
      outpoint: r.outpoint, txid: r.txid, amountMsat: BigInt(r.amount_msat), currency: r.coin_type,
      from: { nodeId: r.from_node_id, account: r.from_account }, to: { nodeId: r.to_node_id, account: r.to_account },
      blockheight: r.blockheight, timestamp: Number(r.timestamp),
    }));
  }

  async problems(nodeId: string | null): Promise<{ nodeId: string; code: string; account: string; message: string; foundAt: Date }[]> {
    const rows: { node_id: string; code: string; account: string; message: string; found_at: Date }[] = await this.dataSource.query(
      `SELECT node_id, code, account, message, found_at FROM reconciler.problems WHERE $1::text IS NULL OR node_id = $1 ORDER BY found_at, node_id, code, account`,
      [nodeId],
    );
    return rows.map((r) => ({ nodeId: r.node_id, code: r.code, account: r.account, message: r.message, foundAt: r.found_at }));
  }
}
