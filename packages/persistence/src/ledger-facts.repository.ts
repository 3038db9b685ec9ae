import type { DataSource, EntityManager } from 'typeorm';
import type { Movement } from '@bkpr/contracts';

/** A movement with its place in arrival order (its stream sequence). */
export interface SequencedMovement {
  readonly movement: Movement;
  readonly streamSeq: bigint;
}

export interface RecordResult {
  /** Ids of the movements that became new facts; the others were already stored. */
  readonly storedIds: ReadonlySet<string>;
}

/**
 * The ledger's write side. One call = one transaction: accounts created on first sight,
 * events inserted idempotently on their natural keys (in arrival order: the first of two
 * movements with one natural key wins, as in CLN). Transactions of several ledgers may run
 * at once: they share no row but the accounts they create.
 * Calling it again with the same movements changes nothing.
 */
export class LedgerFactsRepository {
  /** Account ids already known (accounts are never deleted), keyed by `node_id \0 name`. */
  private readonly knownAccounts = new Map<string, string>();

  constructor(private readonly dataSource: DataSource) {}

  async record(items: readonly SequencedMovement[]): Promise<RecordResult> {
    return this.dataSource.transaction(async (tx) => {
      const accountIds = await this.ensureAccounts(tx, items.filter((i) => i.movement.kind !== 'description').map((i) => i.movement));
      const stored = new Set<string>();
      const chain = items.filter((i) => CHAIN_KINDS.has(i.movement.kind));
      const channel = items.filter((i) => i.movement.kind === 'channel');
      const snapshots = items.filter((i) => i.movement.kind === 'snapshot');
      const edits = items.filter((i) => i.movement.kind === 'description');
      for (const id of await insertChainEvents(tx, chain, accountIds)) stored.add(id);
      for (const id of await insertChannelEvents(tx, channel, accountIds)) stored.add(id);
      for (const id of await insertSnapshots(tx, snapshots, accountIds)) stored.add(id);
      for (const id of await insertDescriptionEdits(tx, edits)) stored.add(id);
      return { storedIds: stored, accountIds };
    }).then(({ storedIds, accountIds }) => {
      this.remember(accountIds);
      return { storedIds };
    });
  }

  /**
   * Account ids keyed by `node_id \0 name`, creating missing accounts. Accounts seen before
   * come from memory unless the movement may set their peer or opener.
   */
  private async ensureAccounts(tx: EntityManager, movements: readonly Movement[]): Promise<Map<string, string>> {
    const wanted = new Map<string, { nodeId: string; name: string; peerId: string | null; weOpened: boolean | null }>();
    const known = new Map<string, string>();
    for (const m of movements) {
      const key = accountKey(m.nodeId, m.account);
      const cached = this.knownAccounts.get(key);
      if (cached !== undefined && m.peerId === null && m.primaryTag !== 'channel_open' && !wanted.has(key)) {
        known.set(key, cached);
        continue;
      }
      const opened = m.primaryTag === 'channel_open' ? m.extraTags.includes('opener') : null;
      const seen = wanted.get(key);
      wanted.set(key, {
        nodeId: m.nodeId,
        name: m.account,
        peerId: seen?.peerId ?? m.peerId,
        weOpened: seen?.weOpened ?? opened,
      });
    }
    if (wanted.size === 0) return known;
    const rows = [...wanted.values()];
    await tx.query(
      `INSERT INTO ledger.accounts (node_id, name, peer_id, we_opened)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[])
       ON CONFLICT (node_id, name) DO UPDATE
         SET peer_id = COALESCE(ledger.accounts.peer_id, EXCLUDED.peer_id),
             we_opened = COALESCE(ledger.accounts.we_opened, EXCLUDED.we_opened)
         WHERE (ledger.accounts.peer_id IS NULL AND EXCLUDED.peer_id IS NOT NULL)
            OR (ledger.accounts.we_opened IS NULL AND EXCLUDED.we_opened IS NOT NULL)`,
      [rows.map((r) => r.nodeId), rows.map((r) => r.name), rows.map((r) => r.peerId), rows.map((r) => r.weOpened)],
    );
    const found: { id: string; node_id: string; name: string }[] = await tx.query(
      `SELECT a.id::text AS id, a.node_id, a.name FROM ledger.accounts a
       JOIN unnest($1::text[], $2::text[]) AS w(node_id, name) ON a.node_id = w.node_id AND a.name = w.name`,
      [rows.map((r) => r.nodeId), rows.map((r) => r.name)],
    );
    for (const r of found) {
      known.set(accountKey(r.node_id, r.name), r.id);
    }
    return known;
  }

  /** After the transaction committed: remember the accounts it used. */
  private remember(accountIds: ReadonlyMap<string, string>): void {
    for (const [key, id] of accountIds) this.knownAccounts.set(key, id);
  }
}

/** Kinds stored as chain events: a node's own chain moves and 3rd-party wallets' utxo events. */
const CHAIN_KINDS = new Set<Movement['kind']>(['chain', 'utxo_deposit', 'utxo_spend']);

function accountKey(nodeId: string, name: string): string {
  return `${nodeId}\u0000${name}`;
}

function accountIdOf(accountIds: Map<string, string>, m: Movement): string {
  const id = accountIds.get(accountKey(m.nodeId, m.account));
  if (id === undefined) throw new Error(`invariant: account ${m.account} of ${m.nodeId} was not created`);
  return id;
}

const msat = (v: bigint | null): string | null => (v === null ? null : v.toString(10));

/** A JSON escape PostgreSQL's array literal does not share (it has `\"` and `\\` only). */
const JSON_ONLY_ESCAPE = /\\[^"\\]/;

/**
 * Array parameters as PostgreSQL array literals, written by JSON.stringify: for strings,
 * numbers, booleans and null the two notations agree but for JSON's escapes of control
 * characters and lone surrogates, whose arrays node-postgres writes itself as before. Its
 * element-by-element quoting was ≈ 4 % of the ledger's CPU; JSON.stringify is native.
 */
function arrayLiterals(params: readonly (readonly unknown[])[]): unknown[] {
  return params.map((values) => {
    const json = JSON.stringify(values);
    return JSON_ONLY_ESCAPE.test(json) ? values : `{${json.slice(1, -1)}}`;
  });
}

async function insertChainEvents(tx: EntityManager, items: readonly SequencedMovement[], accountIds: Map<string, string>): Promise<string[]> {
  if (items.length === 0) return [];
  const events = items.map((i) => i.movement);
  const rows: { movement_id: string }[] = await tx.query(
    `INSERT INTO ledger.chain_events (movement_id, node_id, account_id, tag, extra_tags, credit_msat, debit_msat,
        output_msat, outpoint, spending_txid, payment_id, blockheight, timestamp, coin_type, origin_account,
        output_count, description, stream_seq, kind)
     SELECT m.movement_id, m.node_id, m.account_id, m.tag, string_to_array(m.extra_tags, ','), m.credit_msat,
        m.debit_msat, m.output_msat, m.outpoint, m.spending_txid, m.payment_id, m.blockheight, m.timestamp,
        m.coin_type, m.origin_account, m.output_count, m.description, m.stream_seq, m.kind
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::numeric[], $7::numeric[],
        $8::numeric[], $9::text[], $10::text[], $11::text[], $12::integer[], $13::bigint[], $14::text[], $15::text[],
        $16::integer[], $17::text[], $18::bigint[], $19::text[])
       AS m(movement_id, node_id, account_id, tag, extra_tags, credit_msat, debit_msat, output_msat, outpoint,
        spending_txid, payment_id, blockheight, timestamp, coin_type, origin_account, output_count, description, stream_seq, kind)
     ON CONFLICT DO NOTHING
     RETURNING movement_id`,
    arrayLiterals([
      events.map((m) => m.id),
      events.map((m) => m.nodeId),
      events.map((m) => accountIdOf(accountIds, m)),
      events.map((m) => m.primaryTag),
      events.map((m) => m.extraTags.join(',')),
      events.map((m) => msat(m.creditMsat)),
      events.map((m) => msat(m.debitMsat)),
      events.map((m) => msat(m.outputMsat)),
      events.map((m) => m.outpoint),
      events.map((m) => m.spendingTxid),
      events.map((m) => m.paymentId),
      events.map((m) => m.blockheight),
      events.map((m) => m.timestamp),
      events.map((m) => m.coinType),
      events.map((m) => m.originAccount),
      events.map((m) => m.outputCount),
      events.map((m) => m.description),
      items.map((i) => i.streamSeq.toString(10)),
      events.map((m) => m.kind),
    ]),
  );
  return rows.map((r) => r.movement_id);
}

async function insertChannelEvents(tx: EntityManager, items: readonly SequencedMovement[], accountIds: Map<string, string>): Promise<string[]> {
  if (items.length === 0) return [];
  const events = items.map((i) => i.movement);
  const rows: { movement_id: string }[] = await tx.query(
    `INSERT INTO ledger.channel_events (movement_id, node_id, account_id, tag, extra_tags, credit_msat, debit_msat,
        fees_msat, payment_id, part_id, timestamp, coin_type, description, stream_seq)
     SELECT m.movement_id, m.node_id, m.account_id, m.tag, string_to_array(m.extra_tags, ','), m.credit_msat,
        m.debit_msat, m.fees_msat, m.payment_id, m.part_id, m.timestamp, m.coin_type, m.description, m.stream_seq
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::numeric[], $7::numeric[],
        $8::numeric[], $9::text[], $10::bigint[], $11::bigint[], $12::text[], $13::text[], $14::bigint[])
       AS m(movement_id, node_id, account_id, tag, extra_tags, credit_msat, debit_msat, fees_msat, payment_id,
        part_id, timestamp, coin_type, description, stream_seq)
     ON CONFLICT DO NOTHING
     RETURNING movement_id`,
    arrayLiterals([
      events.map((m) => m.id),
      events.map((m) => m.nodeId),
      events.map((m) => accountIdOf(accountIds, m)),
      events.map((m) => m.primaryTag),
      events.map((m) => m.extraTags.join(',')),
      events.map((m) => msat(m.creditMsat)),
      events.map((m) => msat(m.debitMsat)),
      events.map((m) => msat(m.feesMsat)),
      events.map((m) => m.paymentId),
      events.map((m) => (m.partId === null ? null : m.partId.toString(10))),
      events.map((m) => m.timestamp),
      events.map((m) => m.coinType),
      events.map((m) => m.description),
      items.map((i) => i.streamSeq.toString(10)),
    ]),
  );
  return rows.map((r) => r.movement_id);
}

async function insertSnapshots(tx: EntityManager, items: readonly SequencedMovement[], accountIds: Map<string, string>): Promise<string[]> {
  if (items.length === 0) return [];
  const rows = items.map((i) => i.movement);
  const inserted: { movement_id: string }[] = await tx.query(
    `INSERT INTO ledger.balance_snapshots (movement_id, node_id, account_id, balance_msat, coin_type, blockheight, timestamp, stream_seq)
     SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::numeric[], $5::text[], $6::integer[], $7::bigint[], $8::bigint[])
     ON CONFLICT DO NOTHING
     RETURNING movement_id`,
    arrayLiterals([
      rows.map((m) => m.id),
      rows.map((m) => m.nodeId),
      rows.map((m) => accountIdOf(accountIds, m)),
      rows.map((m) => msat(m.balanceMsat ?? 0n)),
      rows.map((m) => m.coinType),
      rows.map((m) => m.blockheight),
      rows.map((m) => m.timestamp),
      items.map((i) => i.streamSeq.toString(10)),
    ]),
  );
  return inserted.map((r) => r.movement_id);
}

/** Description edits: `account` says what the edit is keyed by, outpoint or payment id. */
async function insertDescriptionEdits(tx: EntityManager, items: readonly SequencedMovement[]): Promise<string[]> {
  if (items.length === 0) return [];
  const edits = items.map((i) => i.movement);
  const inserted: { movement_id: string }[] = await tx.query(
    `INSERT INTO ledger.description_edits (movement_id, node_id, edit_by, edit_key, description, timestamp, stream_seq)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[])
     ON CONFLICT DO NOTHING
     RETURNING movement_id`,
    arrayLiterals([
      edits.map((m) => m.id),
      edits.map((m) => m.nodeId),
      edits.map((m) => m.account),
      edits.map((m) => (m.account === 'outpoint' ? m.outpoint : m.paymentId) ?? ''),
      edits.map((m) => m.description ?? ''),
      edits.map((m) => m.timestamp),
      items.map((i) => i.streamSeq.toString(10)),
    ]),
  );
  return inserted.map((r) => r.movement_id);
}
