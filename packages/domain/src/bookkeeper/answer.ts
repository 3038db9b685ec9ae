import { channelsApy } from './channels-apy.js';
import { checkClnParams } from './cln-params.js';
import { incomeCsv, type CsvFormat } from './csv.js';
import { incomeStatement, type IncomeRow } from './income.js';
import { inspectChannel } from './inspect.js';
import { listAccountEvents, listBalances, type Json, type QueryResult } from './queries.js';
import type { Books } from './state.js';

const END_OF_TIME = Number.MAX_SAFE_INTEGER;

export function incomeRowJson(r: IncomeRow): Json {
  const out: Json = { account: r.account, tag: r.tag, credit_msat: r.creditMsat, debit_msat: r.debitMsat, currency: r.currency, timestamp: r.timestamp };
  if (r.description !== null) out['description'] = r.description;
  if (r.outpoint !== null) out['outpoint'] = r.outpoint;
  if (r.txid !== null) out['txid'] = r.txid;
  if (r.paymentId !== null) out['payment_id'] = r.paymentId;
  return out;
}

export interface ReadParams {
  readonly account?: string;
  readonly payment_id?: string;
  readonly consolidate_fees?: boolean;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly csv_format?: string;
  readonly current_blockheight?: number;
}

/**
 * A read-only bkpr command as CLN's plugin takes it: params as sent (named or positional),
 * checked as CLN checks them (checkClnParams, its errors), then answered by answerQuery.
 */
export function answerCommand(books: Books, method: string, sent: unknown): QueryResult<Json> {
  const checked = checkClnParams(method, sent);
  return checked.ok ? answerQuery(books, method, checked.value as ReadParams) : checked;
}

/**
 * The read-only bkpr commands over one node's books, by CLN's method name (without the
 * `bkpr-` prefix), with params CLN's checks passed (checkClnParams, as the reporting service
 * and answerCommand run them first). `dumpincomecsv` returns the file's content in `csv`.
 */
export function answerQuery(books: Books, method: string, params: ReadParams): QueryResult<Json> {
  const window = { startTime: params.start_time ?? 0, endTime: params.end_time ?? END_OF_TIME };
  switch (method) {
    case 'listbalances':
      return { ok: true, value: { accounts: listBalances(books, params.end_time).accounts } };
    case 'listaccountevents':
      return listAccountEvents(books, { account: params.account, paymentId: params.payment_id });
    case 'inspect':
      return inspectChannel(books, params.account!);
    case 'listincome': {
      const rows = incomeStatement(books, { consolidateFees: params.consolidate_fees ?? true, ...window });
      return { ok: true, value: { income_events: rows.map(incomeRowJson) } };
    }
    case 'channelsapy':
      return { ok: true, value: channelsApy(books, window, params.current_blockheight ?? books.tipBlockheight) };
    case 'dumpincomecsv': {
      // One of CLN's four formats or our strict variants (checked with the params).
      const format = params.csv_format as CsvFormat;
      const rows = incomeStatement(books, { consolidateFees: params.consolidate_fees ?? true, ...window });
      return { ok: true, value: { csv_format: format, csv: incomeCsv(format, rows) } };
    }
    default:
      return { ok: false, code: -32601, message: `Unknown command 'bkpr-${method}'` };
  }
}
