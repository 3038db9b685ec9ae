import { randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { movementToWire } from '@bkpr/contracts';
import {
  answerQuery,
  problemsOf,
  descriptionEditMovement,
  describedEventsJson,
  incomeCsvPieces,
  incomeStatementOf,
  internalTransferOutpoints,
  isInternalTransferRow,
  keepBooks,
  parseReportParam,
  reportIncomeRows,
  reportLines,
  withoutInternalTransfers,
  type Books,
  type CsvFormat,
  type IncomeRow,
  type IncomeStatement,
  type Json,
} from '@bkpr/domain';
import { NatsClient, publishAll } from '@bkpr/messaging';
import { EncodedJsonRows, JsonRows, StreamedJson, stringifyJson } from '@bkpr/service-kit';
import { encodedIncomeRows, incomeRowsOf, type IncomePart } from './income-json.js';
import { BooksService } from './books.service.js';
import { ReadYourWritesService } from './read-your-writes.service.js';
import { RpcError } from './rpc-error.js';
import type { RpcMethod, RpcParams } from './rpc-params.js';

/** The income statement of one node or of the organization: its nodes' statements, in node order. */
interface Income {
  readonly parts: readonly IncomePart[];
  readonly count: number;
}

/** The books of a node with no facts: what CLN's plugin answers before its first notification. */
const NO_BOOKS = keepBooks([]);

/** Organization-wide statements kept (per options and books versions): the latest few. */
const INCOME_MEMO_ENTRIES = 3;

/** Where the rows of the commands answered node by node are, to label and concatenate them. */
const ROWS_KEY: Record<string, string> = {
  listbalances: 'accounts',
  listaccountevents: 'events',
  channelsapy: 'channels_apy',
};

/**
 * The bkpr commands over the organization's books: one node (`node_id`) or every node, each
 * row labelled with its node. Answers reflect everything acknowledged before the call.
 */
@Injectable()
export class RpcService {
  private readonly incomeMemo = new Map<string, Income>();

  constructor(
    @Inject(BooksService) private readonly books: BooksService,
    @Inject(ReadYourWritesService) private readonly consistency: ReadYourWritesService,
    @Inject(NatsClient) private readonly nats: NatsClient,
  ) {}

  async call<M extends RpcMethod>(method: M, params: RpcParams<M>): Promise<Json | StreamedJson> {
    if (method === 'editdescriptionbypaymentid' || method === 'editdescriptionbyoutpoint') return this.editDescription(method, params as RpcParams<'editdescriptionbyoutpoint'> & RpcParams<'editdescriptionbypaymentid'>);
    if (method === 'dumpincomecsv') return this.dumpIncomeCsv(params as RpcParams<'dumpincomecsv'>);
    const asOf = await this.consistency.caughtUp();
    const nodes = await this.nodesFor(params.node_id, asOf);
    if (method === 'inspect') return this.inspect(nodes, asOf, (params as RpcParams<'inspect'>).account);
    if (method === 'listproblems') return this.listProblems(nodes, asOf);
    if (method === 'report') return this.report(nodes, asOf, params as RpcParams<'report'>);
    if (method === 'listincome') {
      const p = params as RpcParams<'listincome'>;
      const income = await this.income(p, asOf);
      // Encoded as it is sent, every time, from the statements' columns (≈ 0.5 µs a row): no statement is kept as text.
      const { from, to, next } = pageOf(income.count, p);
      return new StreamedJson({ income_events: new EncodedJsonRows((allocate) => encodedIncomeRows(income.parts, from, to, allocate)), ...next, as_of: asOf });
    }
    const key = ROWS_KEY[method]!;
    const { limit, cursor, ...query } = params as { limit?: number; cursor?: string };
    // No node yet: CLN's plugin, with no accounts, still refuses an unknown account.
    if (nodes.length === 0) answerRows(NO_BOOKS, '', method, query, key);
    if (limit === undefined && cursor === undefined) {
      const parts: Buffer[] = [];
      for (const nodeId of nodes) parts.push(encodedAnswerRows(await this.books.booksOf(nodeId, asOf), nodeId, method, query, key));
      return new StreamedJson({ [key]: new EncodedJsonRows(commaJoined(parts)), as_of: asOf });
    }
    const rows: Json[] = [];
    for (const nodeId of nodes) rows.push(...answerRows(await this.books.booksOf(nodeId, asOf), nodeId, method, query, key));
    return paged(key, rows.length, (from, to) => rows.slice(from, to), { limit, cursor }, asOf);
  }

  /**
   * CLN writes the file on its node; we render it on demand: the answer names the file and
   * its content is at `GET /v1/income.csv` with the same params.
   */
  private async dumpIncomeCsv(params: RpcParams<'dumpincomecsv'>): Promise<Json> {
    // CLN opens the file on its node; fopen("") fails (incomestmt.c, csv_print_income_events).
    if (params.csv_file === '') throw new RpcError(-3, 'Unable to create csv file: Failed to open csv file ');
    const asOf = await this.consistency.caughtUp();
    const file = params.csv_file ?? `cln_incomestmt_${params.csv_format}_${Math.floor(Date.now() / 1000)}.csv`;
    return { csv_file: file, csv_format: params.csv_format, as_of: asOf };
  }

  /** The income statement as CSV, whole organization or one node, in pieces to stream (the text is CLN's file, byte for byte). */
  async incomeCsv(params: RpcParams<'dumpincomecsv'>): Promise<Iterable<string>> {
    const asOf = await this.consistency.caughtUp();
    const income = await this.income(params, asOf);
    // A format of ours or CLN's: checked with the params (checkClnParams).
    return incomeCsvPieces(params.csv_format as CsvFormat, incomeRowsOf(income.parts));
  }

  /**
   * One node's income statement as CLN makes it; for the whole organization, every node's,
   * less the internal transfers between accounts we track (only their fees are expenses).
   * Each node's is remembered per books version (incomeStatementOf); the organization's too.
   */
  private async income(params: { node_id?: string | undefined; consolidate_fees?: boolean | undefined; start_time?: number | undefined; end_time?: number | undefined }, asOf: number): Promise<Income> {
    const options = { consolidateFees: params.consolidate_fees ?? true, startTime: params.start_time ?? 0, endTime: params.end_time ?? Number.MAX_SAFE_INTEGER };
    const nodes: { nodeId: string; books: Books }[] = [];
    for (const nodeId of await this.nodesFor(params.node_id, asOf)) nodes.push({ nodeId, books: await this.books.booksOf(nodeId, asOf) });
    const key = [params.node_id === undefined, options.consolidateFees, options.startTime, options.endTime, ...nodes.map((n) => `${n.nodeId}@${n.books.version}`)].join('|');
    const known = this.incomeMemo.get(key);
    if (known) return known;
    const statements = nodes.map(({ nodeId, books }) => ({ nodeId, rows: incomeStatementOf(books, options) }));
    // Organization-wide, internal transfers go: found among the rows that may be one side of
    // one (each row made once, here; only those kept), then dropped where they are.
    const candidates = params.node_id === undefined ? statements.map(({ rows }) => transferCandidates(rows)) : null;
    const internal = candidates === null ? new Set<string>() : internalTransferOutpoints(candidates.flatMap((c) => c.map(({ row }) => row)));
    let count = 0;
    const parts = statements.map(({ nodeId, rows }, n): IncomePart => {
      const dropped = new Set<number>();
      if (internal.size > 0) for (const { index, row } of candidates![n]!) if (isInternalTransferRow(row, internal)) dropped.add(index);
      count += rows.length - dropped.size;
      return { nodeId, rows, dropped: dropped.size > 0 ? dropped : null };
    });
    const income = { parts, count };
    if (this.incomeMemo.size >= INCOME_MEMO_ENTRIES) this.incomeMemo.delete(this.incomeMemo.keys().next().value!);
    this.incomeMemo.set(key, income);
    return income;
  }

  /**
   * `bkpr-report` in CLN's shape, `{report: [headers…, lines…], "format-hint": "simple"}`: one
   * node's income rows, or every node's in node order (less internal transfers, as for
   * listincome), each a line of text, so the lines carry no node.
   */
  private async report(nodes: string[], asOf: number, params: RpcParams<'report'>): Promise<Json> {
    const template = parseReportParam(params.format);
    if (!template.ok) throw rpcErrorOf(template);
    const window = { startTime: params.start_time ?? 0, endTime: params.end_time ?? Number.MAX_SAFE_INTEGER };
    const rows: (IncomeRow & { nodeId: string })[] = [];
    for (const nodeId of nodes) {
      for (const row of reportIncomeRows(await this.books.booksOf(nodeId, asOf), window)) rows.push({ ...row, nodeId });
    }
    const chosen = params.node_id === undefined ? withoutInternalTransfers(rows) : rows;
    return { report: reportLines(template.value, chosen, { headers: params.headers, escape: params.escape }), 'format-hint': 'simple', as_of: asOf };
  }

  private async listProblems(nodes: string[], asOf: number): Promise<Json> {
    const problems: Json[] = [];
    for (const nodeId of nodes) {
      for (const p of problemsOf(await this.books.booksOf(nodeId, asOf))) {
        problems.push({ code: p.code, account: p.account, message: p.message, node_id: nodeId });
      }
    }
    return { problems, as_of: asOf };
  }

  private async inspect(nodes: string[], asOf: number, account: string): Promise<Json> {
    let lastError: RpcError | null = null;
    for (const nodeId of nodes) {
      const books: Books = await this.books.booksOf(nodeId, asOf);
      if (!books.accounts.some((a) => a.name === account) && nodes.length > 1) continue;
      const answer = answerQuery(books, 'inspect', { account });
      if (answer.ok) return { txs: labelled(answer.value['txs'] as Json[], nodeId), as_of: asOf };
      lastError = rpcErrorOf(answer);
    }
    if (lastError) throw lastError;
    // No node, or none with the account: as CLN's plugin with no accounts answers (not found; wallet: not a channel).
    const none = answerQuery(NO_BOOKS, 'inspect', { account });
    throw rpcErrorOf(none.ok ? { code: -3, message: `Account ${account} not found` } : none);
  }

  private async editDescription(
    method: 'editdescriptionbypaymentid' | 'editdescriptionbyoutpoint',
    params: { node_id?: string | undefined; payment_id?: string; outpoint?: string; description: string },
  ): Promise<Json> {
    const by = method === 'editdescriptionbyoutpoint' ? 'outpoint' : 'payment_id';
    const key = (by === 'outpoint' ? params.outpoint : params.payment_id)!;
    const nodes = await this.nodesFor(params.node_id);
    const now = Math.floor(Date.now() / 1000);
    const editId = randomUUID();
    const edits = nodes.map((nodeId) => descriptionEditMovement(nodeId, by, key, params.description, now, editId));
    await publishAll(
      this.nats,
      edits.map((m) => ({ subject: this.nats.names.movementSubject(m.nodeId, 'description'), payload: movementToWire(m), msgId: m.id })),
    );
    const asOf = await this.consistency.caughtUp();
    const updated: Json[] = [];
    for (const nodeId of nodes) updated.push(...labelled(describedEventsJson(await this.books.booksOf(nodeId, asOf), by, key).updated, nodeId));
    return { updated, as_of: asOf };
  }

  /** One node, or every node (as of a read-your-writes point when given). */
  private async nodesFor(nodeId: string | undefined, asOf?: number): Promise<string[]> {
    return nodeId !== undefined ? [nodeId] : this.books.nodeIds(asOf);
  }
}

/**
 * A page of rows when `limit` is given (ours; CLN answers everything at once): the answer
 * carries `next_cursor` while more rows follow. Cursors are positions in the answer as of
 * `as_of`; new facts may shift later pages.
 */
function pageOf(count: number, params: { limit?: number | undefined; cursor?: string | undefined }): { from: number; to: number; next: { next_cursor?: string } } {
  if (params.limit === undefined && params.cursor === undefined) return { from: 0, to: count, next: {} };
  const from = Number(params.cursor ?? 0);
  const to = params.limit === undefined ? count : from + params.limit;
  return { from, to: Math.min(to, count), next: to < count ? { next_cursor: String(to) } : {} };
}

function paged(key: string, count: number, rows: (from: number, to: number) => Iterable<Json>, params: { limit?: number | undefined; cursor?: string | undefined }, asOf: number): StreamedJson {
  const { from, to, next } = pageOf(count, params);
  return new StreamedJson({ [key]: new JsonRows(rows(from, to)), ...next, as_of: asOf });
}

/**
 * A statement's rows that may be one side of an internal transfer (a `withdrawal` or `deposit`
 * at an outpoint: what isInternalTransferRow and the pairing look at), with their index, in
 * order. Every row is made to look at it, one at a time; only these are kept.
 */
function transferCandidates(rows: IncomeStatement): { index: number; row: IncomeRow }[] {
  const candidates: { index: number; row: IncomeRow }[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows.at(i);
    if (row.outpoint !== null && (row.tag === 'withdrawal' || row.tag === 'deposit')) candidates.push({ index: i, row });
  }
  return candidates;
}

/** A node's rows of a command answered node by node, labelled with the node. */
function answerRows(books: Books, nodeId: string, method: string, params: object, key: string): Json[] {
  const answer = answerQuery(books, method, params as never);
  if (!answer.ok) throw rpcErrorOf(answer);
  return labelled(answer.value[key] as Json[], nodeId);
}

/**
 * A node's rows as text (comma-joined, no brackets), remembered with its books: the cache
 * hands out new books only when a fact was folded, so a repeated query (a dashboard polling
 * listbalances) is neither recomputed nor re-encoded, and makes no garbage.
 */
const encodedAnswers = new WeakMap<Books, { readonly byQuery: Map<string, Buffer>; bytes: number }>();

/**
 * Text remembered per books, at most: listbalances and channelsapy are a few hundred bytes an
 * account, one channel's events a few MB at 1M facts; a client walking every account's events
 * would otherwise keep the node's whole event log as text. Beyond, answers are encoded per call.
 */
const ENCODED_BYTES_PER_BOOKS = 16 * 1024 * 1024;

function encodedAnswerRows(books: Books, nodeId: string, method: string, params: object, key: string): Buffer {
  let kept = encodedAnswers.get(books);
  if (!kept) encodedAnswers.set(books, (kept = { byQuery: new Map(), bytes: 0 }));
  const id = `${nodeId}\u0000${method}\u0000${JSON.stringify(params)}`;
  let text = kept.byQuery.get(id);
  if (text === undefined) {
    text = Buffer.from(stringifyJson(answerRows(books, nodeId, method, params, key)).slice(1, -1));
    if (kept.bytes + text.length <= ENCODED_BYTES_PER_BOOKS) {
      kept.byQuery.set(id, text);
      kept.bytes += text.length;
    }
  }
  return text;
}

/** The non-empty parts with a comma between them: the inside of a JSON array. */
function* commaJoined(parts: readonly Buffer[]): Generator<Uint8Array> {
  const comma = Buffer.from(',');
  let first = true;
  for (const part of parts) {
    if (part.length === 0) continue;
    if (!first) yield comma;
    yield part;
    first = false;
  }
}

function labelled(rows: readonly Json[], nodeId: string): Json[] {
  return rows.map((row) => ({ ...row, node_id: nodeId }));
}

/** A command's refusal as the RPC answers it: 404 for an unknown command, else 400. */
function rpcErrorOf(refusal: { readonly code: number; readonly message: string }): RpcError {
  return new RpcError(refusal.code, refusal.message, refusal.code === -32601 ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST);
}
