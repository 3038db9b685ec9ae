import { describe, expect, it } from 'vitest';
import { keepBooks, type Books, type Fact } from '@bkpr/domain';
import { StreamedJson } from '@bkpr/service-kit';
import type { BooksService } from './books.service.js';
import type { ReadYourWritesService } from './read-your-writes.service.js';
import { RpcError } from './rpc-error.js';
import { parseParams, type RpcMethod } from './rpc-params.js';
import { RpcService } from './rpc.service.js';

/*
 * The reporting service's bkpr commands against CLN f36be4b006 (plugins/bkpr/bookkeeper.c and
 * common/json_param.c, json_command.c): each command's params, CLN's error (code, text) for a
 * bad or missing one, and the answers on an empty node. No I/O: books and the read-your-writes
 * point are stubbed.
 */

const INVALID = ': invalid token (see logs for details)';
const UNKNOWN = ', this may be caused by a failure to autodetect key=value-style parameters. Please try using the -k flag and explicit key=value pairs of parameters.';
const TXID = 'ab'.repeat(32);
const NODE = '02' + '11'.repeat(32);

/** What the HTTP and NATS edges send for a refused call: `{code, message}`. */
function refusal(method: RpcMethod, body: unknown): unknown {
  try {
    parseParams(method, body);
  } catch (error) {
    if (error instanceof RpcError) return { status: error.getStatus(), ...(error.getResponse() as object) };
    throw error;
  }
  return 'accepted';
}
const invalid = (message: string) => ({ status: 400, code: -32602, message });

describe('parseParams: CLN params of every bkpr command', () => {
  it('listbalances takes none of CLN (ours: node_id, end_time)', () => {
    expect(parseParams('listbalances', {})).toEqual({});
    expect(parseParams('listbalances', [])).toEqual({});
    expect(refusal('listbalances', { account: 'wallet' })).toEqual(invalid(`unknown parameter: account${UNKNOWN}`));
    expect(refusal('listbalances', [1])).toEqual(invalid('too many parameters: got 1, expected 0'));
    expect(parseParams('listbalances', { node_id: NODE, end_time: 5 })).toEqual({ node_id: NODE, end_time: 5 });
  });

  it('listaccountevents [account] [payment_id]', () => {
    expect(parseParams('listaccountevents', ['wallet'])).toEqual({ account: 'wallet' });
    expect(parseParams('listaccountevents', [null, TXID.toUpperCase()])).toEqual({ payment_id: TXID });
    expect(parseParams('listaccountevents', { account: '' })).toEqual({ account: '' });
    expect(parseParams('listaccountevents', { account: 12 })).toEqual({ account: '12' });
    expect(refusal('listaccountevents', { payment_id: 'nope' })).toEqual(invalid(`payment_id: should be a 32 byte hex value${INVALID}`));
    expect(refusal('listaccountevents', { payment_id: null })).toEqual(invalid(`payment_id: should be a 32 byte hex value${INVALID}`));
  });

  it('inspect account', () => {
    expect(refusal('inspect', {})).toEqual(invalid('missing required parameter: account'));
    expect(refusal('inspect', [])).toEqual(invalid('missing required parameter: account'));
    expect(refusal('inspect', [null])).toEqual(invalid('missing required parameter: account'));
    expect(parseParams('inspect', { account: '' })).toEqual({ account: '' });
    expect(refusal('inspect', { acount: 'x' })).toEqual(invalid(`unknown parameter: acount${UNKNOWN}`));
  });

  it('listincome [consolidate_fees] [start_time] [end_time]', () => {
    expect(parseParams('listincome', [false, 1, '2'])).toEqual({ consolidate_fees: false, start_time: 1, end_time: 2 });
    expect(parseParams('listincome', { start_time: '1700000000' })).toEqual({ start_time: 1_700_000_000 });
    expect(refusal('listincome', { consolidate_fees: 'true' })).toEqual(invalid(`consolidate_fees: should be 'true' or 'false'${INVALID}`));
    expect(refusal('listincome', { start_time: -1.5 })).toEqual(invalid(`start_time: should be an unsigned 64 bit integer${INVALID}`));
    expect(refusal('listincome', { end_time: 'soon' })).toEqual(invalid(`end_time: should be an unsigned 64 bit integer${INVALID}`));
  });

  it('dumpincomecsv csv_format [csv_file] [consolidate_fees] [start_time] [end_time]', () => {
    expect(parseParams('dumpincomecsv', ['koinly', 'k.csv', true, 0, 10])).toEqual({ csv_format: 'koinly', csv_file: 'k.csv', consolidate_fees: true, start_time: 0, end_time: 10 });
    expect(refusal('dumpincomecsv', {})).toEqual(invalid('missing required parameter: csv_format'));
    expect(refusal('dumpincomecsv', { csv_file: 'x.csv' })).toEqual(invalid('missing required parameter: csv_format'));
    expect(refusal('dumpincomecsv', { csv_format: 'excel' })).toEqual(invalid(`csv_format: should be one of: "cointracker","koinly","harmony","quickbooks"${INVALID}`));
    expect(refusal('dumpincomecsv', { consolidate_fees: 1, csv_format: 'excel' })).toEqual(invalid(`consolidate_fees: should be 'true' or 'false'${INVALID}`));
  });

  it('channelsapy [start_time] [end_time] (ours: current_blockheight)', () => {
    expect(parseParams('channelsapy', [5])).toEqual({ start_time: 5 });
    expect(parseParams('channelsapy', { current_blockheight: 150 })).toEqual({ current_blockheight: 150 });
    expect(refusal('channelsapy', { start_time: true })).toEqual(invalid(`start_time: should be an unsigned 64 bit integer${INVALID}`));
    expect(refusal('channelsapy', [1, 2, 3])).toEqual(invalid('too many parameters: got 3, expected 2'));
  });

  it('editdescriptionbypaymentid payment_id description', () => {
    expect(parseParams('editdescriptionbypaymentid', [TXID, 'coffee'])).toEqual({ payment_id: TXID, description: 'coffee' });
    expect(refusal('editdescriptionbypaymentid', { description: 'x' })).toEqual(invalid('missing required parameter: payment_id'));
    expect(refusal('editdescriptionbypaymentid', { payment_id: TXID })).toEqual(invalid('missing required parameter: description'));
    expect(refusal('editdescriptionbypaymentid', { payment_id: 'zz', description: 'x' })).toEqual(invalid(`payment_id: should be a 32 byte hex value${INVALID}`));
  });

  it('editdescriptionbyoutpoint outpoint description', () => {
    expect(parseParams('editdescriptionbyoutpoint', { outpoint: `${TXID}:1`, description: 'salary' })).toEqual({ outpoint: `${TXID}:1`, description: 'salary' });
    expect(refusal('editdescriptionbyoutpoint', { outpoint: TXID, description: 'x' })).toEqual(invalid(`outpoint: should be a txid:outnum${INVALID}`));
    expect(refusal('editdescriptionbyoutpoint', { description: 'x' })).toEqual(invalid('missing required parameter: outpoint'));
  });

  it('our extras are still checked by our schemas', () => {
    expect(refusal('listincome', { node_id: 'NOT A NODE' })).toMatchObject({ status: 400, code: -32602 });
    expect(refusal('listincome', { limit: 0 })).toMatchObject({ status: 400, code: -32602 });
  });
});

/** RpcService over fixed books: one node (`NODE`) with `facts`, or none. */
function service(facts: Fact[] | null): RpcService {
  const books = { nodeIds: async () => (facts === null ? [] : [NODE]), booksOf: async (): Promise<Books> => keepBooks(facts ?? []) } as unknown as BooksService;
  const consistency = { caughtUp: async () => 7 } as unknown as ReadYourWritesService;
  return new RpcService(books, consistency, {} as never);
}

async function call(rpc: RpcService, method: RpcMethod, params: unknown): Promise<unknown> {
  try {
    const body = await rpc.call(method, parseParams(method, params));
    const json = JSON.parse(body instanceof StreamedJson ? body.text() : JSON.stringify(body)) as Record<string, unknown>;
    delete json['as_of'];
    return json;
  } catch (error) {
    if (error instanceof RpcError) return { error: error.getResponse() };
    throw error;
  }
}

describe('RpcService: answers on an empty node, and errors past the params', () => {
  for (const [label, facts] of [['no node at all', null], ['a node with no facts', []]] as const) {
    it(`${label}: empty lists, no net channelsapy entry`, async () => {
      const rpc = service(facts as Fact[] | null);
      expect(await call(rpc, 'listbalances', {})).toEqual({ accounts: [] });
      expect(await call(rpc, 'listaccountevents', {})).toEqual({ events: [] });
      expect(await call(rpc, 'listincome', {})).toEqual({ income_events: [] });
      expect(await call(rpc, 'channelsapy', {})).toEqual({ channels_apy: [] });
    });
  }

  it('inspect: non-channel accounts, then an unknown one (-3; CLN does not quote the name here)', async () => {
    const rpc = service([]);
    expect(await call(rpc, 'inspect', { account: 'wallet' })).toEqual({ error: { code: -3, message: '`inspect` not supported for non-channel accounts' } });
    expect(await call(rpc, 'inspect', { account: 'external' })).toEqual({ error: { code: -3, message: '`inspect` not supported for non-channel accounts' } });
    expect(await call(rpc, 'inspect', { account: 'nope' })).toEqual({ error: { code: -3, message: 'Account nope not found' } });
    expect(await call(service(null), 'inspect', { account: 'nope' })).toEqual({ error: { code: -3, message: 'Account nope not found' } });
    expect(await call(service(null), 'inspect', { account: 'wallet' })).toEqual({ error: { code: -3, message: '`inspect` not supported for non-channel accounts' } });
  });

  it('before any node: an account is still looked up, as CLN with no accounts does', async () => {
    const rpc = service(null);
    expect(await call(rpc, 'listaccountevents', { account: 'wallet' })).toEqual({ error: { code: -32602, message: "Account 'wallet' not found" } });
    expect(await call(rpc, 'listaccountevents', { account: 'wallet', limit: 5 })).toEqual({ error: { code: -32602, message: "Account 'wallet' not found" } });
    expect(await call(rpc, 'listaccountevents', { payment_id: TXID })).toEqual({ events: [] });
  });

  it("listaccountevents: an unknown account (-32602, quoted), both given, an unknown payment id (no events)", async () => {
    const rpc = service([]);
    expect(await call(rpc, 'listaccountevents', { account: 'nope' })).toEqual({ error: { code: -32602, message: "Account 'nope' not found" } });
    expect(await call(rpc, 'listaccountevents', { account: 'wallet', payment_id: TXID })).toEqual({ error: { code: -32602, message: 'Can only specify one of {account} or {payment_id}' } });
    expect(await call(rpc, 'listaccountevents', { payment_id: TXID })).toEqual({ events: [] });
  });

  it('dumpincomecsv names its file and format; an empty file name fails to open as in CLN (-3)', async () => {
    const rpc = service([]);
    expect(await call(rpc, 'dumpincomecsv', { csv_format: 'harmony', csv_file: 'h.csv' })).toEqual({ csv_file: 'h.csv', csv_format: 'harmony' });
    expect(await call(rpc, 'dumpincomecsv', { csv_format: 'harmony' })).toMatchObject({ csv_file: expect.stringMatching(/^cln_incomestmt_harmony_\d+\.csv$/), csv_format: 'harmony' });
    expect(await call(rpc, 'dumpincomecsv', { csv_format: 'harmony', csv_file: '' })).toEqual({ error: { code: -3, message: 'Unable to create csv file: Failed to open csv file ' } });
  });
});
