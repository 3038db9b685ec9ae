import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Movement } from '@bkpr/contracts';

/** Movements buffered before they are written, one COPY per table: bounds the loader's memory at any size. */
const CHUNK_MOVEMENTS = 50_000;

const CHAIN_COLUMNS = 'movement_id, node_id, account_id, tag, extra_tags, credit_msat, debit_msat, output_msat, outpoint, spending_txid, payment_id, blockheight, timestamp, coin_type, origin_account, output_count, description, stream_seq, kind';
const CHANNEL_COLUMNS = 'movement_id, node_id, account_id, tag, extra_tags, credit_msat, debit_msat, fees_msat, payment_id, part_id, timestamp, coin_type, description, stream_seq';
const SNAPSHOT_COLUMNS = 'movement_id, node_id, account_id, balance_msat, coin_type, blockheight, timestamp, stream_seq';
const EDIT_COLUMNS = 'movement_id, node_id, edit_by, edit_key, description, timestamp, stream_seq';

interface AccountRow {
  readonly id: number;
  readonly nodeId: string;
  readonly name: string;
  peerId: string | null;
  weOpened: boolean | null;
  /** Not yet written as it is now. */
  dirty: boolean;
}

/** A field of PostgreSQL's COPY text format. */
function field(value: string | number | bigint | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return value.toString(10);
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}

function textArray(items: readonly string[]): string {
  return `{${items.map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

const line = (values: readonly (string | number | bigint | null)[]) => `${values.map(field).join('\t')}\n`;

export interface CopyStats {
  readonly rows: number;
  /** Wall time spent inside COPY statements (PostgreSQL's side of the load). */
  readonly copyMs: number;
  readonly accounts: number;
}

/**
 * Writes movements straight into the ledger's fact tables with PostgreSQL COPY, as the ledger
 * would have stored them (accounts created on first sight with their peer and opener, facts
 * with their stream sequence), in chunks so any number fits in bounded memory. The movements
 * must be new and free of duplicates: COPY has no ON CONFLICT.
 */
export class FactsCopier {
  private readonly accounts = new Map<string, AccountRow>();
  private chain: string[] = [];
  private channel: string[] = [];
  private snapshot: string[] = [];
  private edits: string[] = [];
  private buffered = 0;
  private rows = 0;
  private copyMs = 0;
  private flushing: Promise<void> = Promise.resolve();

  private constructor(private readonly client: pg.Client) {}

  static async open(databaseUrl: string): Promise<FactsCopier> {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    return new FactsCopier(client);
  }

  /** Buffers one movement with its stream sequence; writes a chunk when enough are buffered. */
  async add(m: Movement, streamSeq: number): Promise<void> {
    const seq = streamSeq;
    if (m.kind === 'description') {
      this.edits.push(line([m.id, m.nodeId, m.account, (m.account === 'outpoint' ? m.outpoint : m.paymentId) ?? '', m.description ?? '', m.timestamp, seq]));
    } else {
      const account = this.accountOf(m);
      if (m.kind === 'channel') {
        this.channel.push(line([m.id, m.nodeId, account, m.primaryTag, textArray(m.extraTags), m.creditMsat, m.debitMsat, m.feesMsat, m.paymentId, m.partId, m.timestamp, m.coinType, m.description, seq]));
      } else if (m.kind === 'snapshot') {
        this.snapshot.push(line([m.id, m.nodeId, account, m.balanceMsat ?? 0n, m.coinType, m.blockheight, m.timestamp, seq]));
      } else {
        this.chain.push(
          line([m.id, m.nodeId, account, m.primaryTag, textArray(m.extraTags), m.creditMsat, m.debitMsat, m.outputMsat, m.outpoint, m.spendingTxid, m.paymentId, m.blockheight, m.timestamp, m.coinType, m.originAccount, m.outputCount, m.description, seq, m.kind]),
        );
      }
    }
    if (++this.buffered >= CHUNK_MOVEMENTS) await this.flush();
  }

  /** Writes what is buffered and waits for every write; returns what was written in all. */
  async finish(): Promise<CopyStats> {
    await this.flush();
    await this.flushing;
    await this.client.query(`SELECT setval(pg_get_serial_sequence('ledger.accounts', 'id'), (SELECT max(id) FROM ledger.accounts))`);
    return { rows: this.rows, copyMs: this.copyMs, accounts: this.accounts.size };
  }

  async close(): Promise<void> {
    await this.client.end();
  }

  /** The account's id, created on first sight; its peer and opener as the ledger sets them (first known wins). */
  private accountOf(m: Movement): number {
    const key = `${m.nodeId}\u0000${m.account}`;
    let account = this.accounts.get(key);
    if (!account) {
      account = { id: this.accounts.size + 1, nodeId: m.nodeId, name: m.account, peerId: null, weOpened: null, dirty: true };
      this.accounts.set(key, account);
    }
    if (account.peerId === null && m.peerId !== null) {
      account.peerId = m.peerId;
      account.dirty = true;
    }
    if (account.weOpened === null && m.primaryTag === 'channel_open') {
      account.weOpened = m.extraTags.includes('opener');
      account.dirty = true;
    }
    return account.id;
  }

  /**
   * Hands the buffered chunk to PostgreSQL; the next chunk is generated while it copies.
   * Accounts first (the facts reference them), then one COPY per table.
   */
  private async flush(): Promise<void> {
    const accounts = [...this.accounts.values()].filter((a) => a.dirty);
    for (const a of accounts) a.dirty = false;
    const chunks: [string, string, string[]][] = [
      ['ledger.chain_events', CHAIN_COLUMNS, this.chain],
      ['ledger.channel_events', CHANNEL_COLUMNS, this.channel],
      ['ledger.balance_snapshots', SNAPSHOT_COLUMNS, this.snapshot],
      ['ledger.description_edits', EDIT_COLUMNS, this.edits],
    ];
    this.chain = [];
    this.channel = [];
    this.snapshot = [];
    this.edits = [];
    this.buffered = 0;
    await this.flushing;
    this.flushing = this.write(accounts, chunks);
    this.flushing.catch(() => undefined); // surfaces at the next flush or in finish()
  }

  private async write(accounts: readonly AccountRow[], chunks: readonly [string, string, string[]][]): Promise<void> {
    if (accounts.length > 0) {
      await this.client.query(
        `INSERT INTO ledger.accounts (id, node_id, name, peer_id, we_opened)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::boolean[])
         ON CONFLICT (id) DO UPDATE SET peer_id = EXCLUDED.peer_id, we_opened = EXCLUDED.we_opened`,
        [accounts.map((a) => a.id), accounts.map((a) => a.nodeId), accounts.map((a) => a.name), accounts.map((a) => a.peerId), accounts.map((a) => a.weOpened)],
      );
    }
    for (const [table, columns, lines] of chunks) {
      if (lines.length === 0) continue;
      const started = performance.now();
      await pipeline(Readable.from(batched(lines)), this.client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN`)));
      this.copyMs += performance.now() - started;
      this.rows += lines.length;
    }
  }
}

/** Lines joined into ~64 KiB writes. */
function* batched(lines: readonly string[]): Generator<string> {
  let out = '';
  for (const l of lines) {
    out += l;
    if (out.length >= 65_536) {
      yield out;
      out = '';
    }
  }
  if (out) yield out;
}
