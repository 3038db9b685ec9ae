import pg from 'pg';
import type { DataSource } from 'typeorm';
import type { Movement, MovementKind } from '@bkpr/contracts';
import { factFromMovement, type Fact, type FactSource } from '@bkpr/domain';
import type { SequencedMovement } from './ledger-facts.repository.js';

/** Distinct strings shared at most (accounts, tags, peers): beyond, new ones are kept as read. */
const MAX_SHARED = 1_000_000;

/** A row of factsSql, read as an array (node-postgres `rowMode: 'array'`): its columns in order. */
type FactRow = readonly [
  kind: MovementKind,
  /** Null when read for facts (factsSql's `ids: false`), as `nodeId`. */
  movementId: string | null,
  nodeId: string | null,
  account: string,
  tag: string,
  /** The extra tags joined by commas (the ledger splits them at commas when it stores them). */
  extraTags: string | null,
  creditMsat: string,
  debitMsat: string,
  outputMsat: string | null,
  feesMsat: string,
  outpoint: string | null,
  spendingTxid: string | null,
  paymentId: string | null,
  partId: string | null,
  blockheight: number | null,
  timestamp: string,
  coinType: string,
  originAccount: string | null,
  peerId: string | null,
  outputCount: number | null,
  description: string | null,
  balanceMsat: string | null,
  streamSeq: string,
];

/**
 * The read side's view of the facts: a node's movements as stored, in arrival order (stream
 * sequence, then insertion), ready to be folded by the bookkeeper.
 */
export class FactsQuery implements FactSource {
  /**
   * One string for each account name, tag, coin type and list of extra tags read: the folded
   * books keep every fact, and a node has few distinct ones (at 1M facts, a copy per fact
   * would be a few hundred MB).
   */
  private readonly shared = new Map<string, string>();
  private readonly sharedTags = new Map<string, readonly string[]>();
  private nodesAt: { horizon: bigint; ids: string[] } | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * A node's facts with `after < stream_seq ≤ upTo` (upTo null: no bound), in arrival order.
   * Each row becomes its fact as it arrives from PostgreSQL (as an array, not an object per
   * row), so only the facts are kept while the read goes on: rows die young instead of being
   * promoted to the old generation with the facts and books around them.
   */
  async factsOf(nodeId: string, after: bigint, upTo: bigint | null): Promise<Fact[]> {
    // Payment ids and spending txids repeat among the facts read together (a routed payment's
    // two halves, a transaction's inputs): one string each, for this read only (most are unique).
    const nearby = new Map<string, string>();
    const strings: Strings = {
      shared: (s) => interned(this.shared, s, MAX_SHARED),
      near: (s) => interned(nearby, s),
      tags: (joined) => {
        let tags = this.sharedTags.get(joined);
        if (tags === undefined) {
          tags = Object.freeze(tagsOf(joined));
          if (this.sharedTags.size < MAX_SHARED) this.sharedTags.set(joined, tags);
        }
        return tags;
      },
    };
    const facts: Fact[] = [];
    await this.eachRow(factsSql(nodeId, after, upTo, { ids: false }), (row) => facts.push(factFromMovement(toMovement(row, strings), BigInt(row[STREAM_SEQ]))));
    return facts;
  }

  /**
   * The nodes with facts. Up to a horizon (a sequence below which every fact is stored) they
   * are all there and cannot change, so they are read once per horizon.
   */
  async nodeIds(horizon?: bigint): Promise<string[]> {
    if (horizon !== undefined && this.nodesAt?.horizon === horizon) return this.nodesAt.ids;
    const rows: { node_id: string }[] = await this.dataSource.query(NODE_IDS_SQL);
    const ids = rows.map((r) => r.node_id);
    if (horizon !== undefined) this.nodesAt = { horizon, ids };
    return ids;
  }

  async movementsOf(nodeId: string): Promise<SequencedMovement[]> {
    const movements: SequencedMovement[] = [];
    await this.eachRow(factsSql(nodeId, 0n, null), (row) => movements.push({ movement: toMovement(row, AS_READ), streamSeq: BigInt(row[STREAM_SEQ]) }));
    return movements;
  }

  /** Calls `each` with every row of factsSql in order, as node-postgres parses it (on a connection of the data source's pool). */
  private async eachRow({ text, values }: { text: string; values: string[] }, each: (row: FactRow) => void): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as pg.ClientBase;
      await new Promise<void>((resolve, reject) => {
        let failed: unknown = null;
        client
          .query(new pg.Query<FactRow>({ text, values, rowMode: 'array' } as pg.QueryArrayConfig))
          .on('row', (row) => {
            // A row that cannot be read fails the read once it ends (throwing here would throw into the driver).
            if (failed !== null) return;
            try {
              each(row);
            } catch (error) {
              failed = error;
            }
          })
          .on('error', reject)
          .on('end', () => (failed === null ? resolve() : reject(failed as Error)));
      });
    } finally {
      await runner.release();
    }
  }
}

/** `s` as the one string `strings` holds for it (remembered while `strings` holds fewer than `limit`). */
function interned(strings: Map<string, string>, s: string, limit = Number.POSITIVE_INFINITY): string {
  const known = strings.get(s);
  if (known !== undefined) return known;
  if (strings.size < limit) strings.set(s, s);
  return s;
}

export const NODE_IDS_SQL = `SELECT DISTINCT node_id FROM ledger.accounts ORDER BY node_id`;

/** FactRow's columns, as the union below names them; the order is FactRow's. */
const ROW_COLUMNS = (ids: boolean) =>
  `kind, ${ids ? 'movement_id, node_id' : 'NULL, NULL'}, account, tag, extra_tags, credit_msat, debit_msat, output_msat, fees_msat, outpoint, spending_txid, payment_id, part_id, blockheight, timestamp, coin_type, origin_account, peer_id, output_count, description, balance_msat, stream_seq`;

/**
 * The query for a node's facts with `after < stream_seq ≤ upTo`, in arrival order (exported
 * for EXPLAIN). `ids: false` leaves out the movement and node ids, which a fact has no use
 * for (two strings of 64 and 66 characters a row, ≈ 170 B of the read's garbage).
 */
export function factsSql(nodeId: string, after: bigint, upTo: bigint | null, { ids = true } = {}): { text: string; values: string[] } {
  // Rows stored before arrival order was recorded have no stream_seq: they come first, once.
  const inRange = (t: string) =>
    [after === 0n ? `(${t}.stream_seq > $2 OR ${t}.stream_seq IS NULL)` : `${t}.stream_seq > $2`, ...(upTo === null ? [] : [`${t}.stream_seq <= $3`])].join(' AND ');
  return {
    text: `SELECT ${ROW_COLUMNS(ids)} FROM (
         SELECT c.kind, c.movement_id, c.node_id, a.name AS account, c.tag, array_to_string(c.extra_tags, ',') AS extra_tags, c.credit_msat::text,
                c.debit_msat::text, c.output_msat::text, '0' AS fees_msat, c.outpoint, c.spending_txid, c.payment_id,
                NULL::text AS part_id, c.blockheight, c.timestamp::text, c.coin_type, c.origin_account,
                CASE WHEN c.tag = 'channel_open' OR 'channel_open' = ANY(c.extra_tags) THEN a.peer_id END AS peer_id,
                c.output_count, c.description, NULL::text AS balance_msat, COALESCE(c.stream_seq, 0) AS stream_seq, c.id, 1 AS t
         FROM ledger.chain_events c JOIN ledger.accounts a ON a.id = c.account_id WHERE c.node_id = $1 AND ${inRange('c')}
         UNION ALL
         SELECT 'channel', e.movement_id, e.node_id, a.name, e.tag, array_to_string(e.extra_tags, ','), e.credit_msat::text, e.debit_msat::text,
                NULL, e.fees_msat::text, NULL, NULL, e.payment_id, e.part_id::text, NULL, e.timestamp::text, e.coin_type,
                NULL, NULL, NULL, e.description, NULL, COALESCE(e.stream_seq, 0), e.id, 2
         FROM ledger.channel_events e JOIN ledger.accounts a ON a.id = e.account_id WHERE e.node_id = $1 AND ${inRange('e')}
         UNION ALL
         SELECT 'snapshot', s.movement_id, s.node_id, a.name, 'balance_snapshot', NULL, '0', '0', NULL, '0', NULL, NULL,
                NULL, NULL, s.blockheight, s.timestamp::text, s.coin_type, NULL, NULL, NULL, NULL, s.balance_msat::text,
                COALESCE(s.stream_seq, 0), s.id, 3
         FROM ledger.balance_snapshots s JOIN ledger.accounts a ON a.id = s.account_id WHERE s.node_id = $1 AND ${inRange('s')}
         UNION ALL
         SELECT 'description', d.movement_id, d.node_id, d.edit_by, 'description_edit', NULL, '0', '0', NULL, '0',
                CASE WHEN d.edit_by = 'outpoint' THEN d.edit_key END, NULL,
                CASE WHEN d.edit_by = 'payment_id' THEN d.edit_key END, NULL, NULL, d.timestamp::text, '', NULL, NULL,
                NULL, d.description, NULL, COALESCE(d.stream_seq, 0), d.id, 4
         FROM ledger.description_edits d WHERE d.node_id = $1 AND ${inRange('d')}
       ) f ORDER BY stream_seq, t, id`,
    values: upTo === null ? [nodeId, after.toString(10)] : [nodeId, after.toString(10), upTo.toString(10)],
  };
}

/** An amount as read; zero (most credits, debits and fees) as the one `0n`, not a bigint of its own per fact. */
const amount = (v: string): bigint => (v === '0' ? 0n : BigInt(v));

/** How a read shares strings: across reads (`shared`), within one read (`near`), lists of extra tags by their joined text. */
interface Strings {
  shared(s: string): string;
  near(s: string): string;
  tags(joined: string): readonly string[];
}

/** Every string as read, nothing shared. */
const AS_READ: Strings = { shared: (s) => s, near: (s) => s, tags: tagsOf };

function tagsOf(joined: string): string[] {
  return joined === '' ? [] : joined.split(',');
}

const NO_TAGS: readonly string[] = Object.freeze([]);

/** Where factsSql puts a row's stream sequence. */
const STREAM_SEQ = 22;

function toMovement(r: FactRow, strings: Strings): Movement {
  const msat = (v: string | null) => (v === null ? null : amount(v));
  const [kind, id, nodeId, account, tag, extraTags, credit, debit, output, fees, outpoint, spendingTxid, paymentId, partId, blockheight, timestamp, coinType, originAccount, peerId, outputCount, description, balance] = r;
  return {
    // Empty when not read (facts): factFromMovement reads neither.
    id: id ?? '',
    nodeId: nodeId ?? '',
    kind,
    account: strings.shared(account),
    primaryTag: strings.shared(tag),
    extraTags: extraTags === null ? NO_TAGS : strings.tags(extraTags),
    creditMsat: amount(credit),
    debitMsat: amount(debit),
    outputMsat: msat(output),
    feesMsat: amount(fees),
    outpoint,
    spendingTxid: spendingTxid === null ? null : strings.near(spendingTxid),
    paymentId: paymentId === null ? null : strings.near(paymentId),
    partId: msat(partId),
    blockheight,
    timestamp: Number(timestamp),
    coinType: strings.shared(coinType),
    originAccount: originAccount === null ? null : strings.shared(originAccount),
    peerId: peerId === null ? null : strings.shared(peerId),
    outputCount,
    description,
    balanceMsat: msat(balance),
  };
}
