import type { DataSource } from 'typeorm';

export interface AccountBalanceRow {
  readonly nodeId: string;
  readonly account: string;
  readonly peerId: string | null;
  readonly weOpened: boolean | null;
  readonly coinType: string | null;
  readonly creditMsatTotal: bigint;
  readonly debitMsatTotal: bigint;
}

/**
 * Credits and debits per (account, coin type) over chain and channel events, accounts in
 * the order they were first seen. `external` is not an account of ours and is left out,
 * as CLN's bookkeeper does.
 */
export class BalancesQuery {
  constructor(private readonly dataSource: DataSource) {}

  async totals(nodeId: string | null): Promise<AccountBalanceRow[]> {
    const rows: {
      node_id: string;
      name: string;
      peer_id: string | null;
      we_opened: boolean | null;
      coin_type: string | null;
      credit: string;
      debit: string;
    }[] = await this.dataSource.query(
      `WITH moves AS (
         SELECT account_id, coin_type, credit_msat, debit_msat FROM ledger.chain_events
         UNION ALL
         SELECT account_id, coin_type, credit_msat, debit_msat FROM ledger.channel_events
       )
       SELECT a.node_id, a.name, a.peer_id, a.we_opened, m.coin_type,
              COALESCE(SUM(m.credit_msat), 0)::text AS credit, COALESCE(SUM(m.debit_msat), 0)::text AS debit
       FROM ledger.accounts a
       LEFT JOIN moves m ON m.account_id = a.id
       WHERE a.name <> 'external' AND ($1::text IS NULL OR a.node_id = $1)
       GROUP BY a.id, a.node_id, a.name, a.peer_id, a.we_opened, m.coin_type
       ORDER BY a.id, m.coin_type`,
      [nodeId],
    );
    return rows.map((r) => ({
      nodeId: r.node_id,
      account: r.name,
      peerId: r.peer_id,
      weOpened: r.we_opened,
      coinType: r.coin_type,
      creditMsatTotal: BigInt(r.credit),
      debitMsatTotal: BigInt(r.debit),
    }));
  }
}
