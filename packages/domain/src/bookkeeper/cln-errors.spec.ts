import { describe, expect, it } from 'vitest';
import { answerCommand } from './answer.js';
import { checkClnParams } from './cln-params.js';
import { chainFact, tx } from './fact-builders.testing.js';
import { keepBooks } from './keep-books.js';

/*
 * Params and errors of the bkpr commands as CLN's plugin (f36be4b006) gives them: the
 * param() lists of plugins/bkpr/bookkeeper.c, the checks of common/json_param.c
 * (param_u64, param_bool, param_sha256, param_string; parse_by_name, parse_by_position,
 * post_check) and common/json_command.c (command_fail_badparam, outside developer mode).
 */

const INVALID = ': invalid token (see logs for details)';
const UNKNOWN = ', this may be caused by a failure to autodetect key=value-style parameters. Please try using the -k flag and explicit key=value pairs of parameters.';
const P = tx('a');

const wallet = keepBooks([chainFact({ account: 'wallet', tag: 'deposit', outpoint: `${tx('1')}:0`, creditMsat: 1_000n, outputMsat: 1_000n, timestamp: 1_000 })]);
const empty = keepBooks([]);
const ask = (method: string, params: unknown, books = wallet) => {
  const answer = answerCommand(books, method, params);
  return answer.ok ? { result: answer.value } : { error: { code: answer.code, message: answer.message } };
};
const error = (code: number, message: string) => ({ error: { code, message } });

describe('CLN param parsing (json_param.c), shared by every bkpr command', () => {
  it('refuses a name the command does not take, before anything else', () => {
    expect(ask('listincome', { bogus: 1, start_time: 'x' })).toEqual(error(-32602, `unknown parameter: bogus${UNKNOWN}`));
    expect(ask('listbalances', { account: 'wallet' })).toEqual(error(-32602, `unknown parameter: account${UNKNOWN}`));
  });

  it('checks named params in the order sent; the first bad one answers', () => {
    expect(ask('listincome', { end_time: 'x', consolidate_fees: 'x' })).toEqual(error(-32602, `end_time: should be an unsigned 64 bit integer${INVALID}`));
    expect(ask('listincome', { consolidate_fees: 'x', end_time: 'x' })).toEqual(error(-32602, `consolidate_fees: should be 'true' or 'false'${INVALID}`));
  });

  it('asks for a missing required param only after the sent ones pass, in declaration order', () => {
    expect(ask('inspect', {})).toEqual(error(-32602, 'missing required parameter: account'));
    expect(ask('dumpincomecsv', { consolidate_fees: false })).toEqual(error(-32602, 'missing required parameter: csv_format'));
    expect(checkClnParams('editdescriptionbyoutpoint', {})).toEqual({ ok: false, code: -32602, message: 'missing required parameter: outpoint' });
    expect(checkClnParams('editdescriptionbyoutpoint', { description: 'x' })).toMatchObject({ message: 'missing required parameter: outpoint' });
    expect(checkClnParams('editdescriptionbypaymentid', { payment_id: P })).toMatchObject({ message: 'missing required parameter: description' });
    expect(checkClnParams('editdescriptionbyoutpoint', { description: 'x', outpoint: 'nope' })).toMatchObject({ message: `outpoint: should be a txid:outnum${INVALID}` });
  });

  it('takes positional params in CLN order, a null there as absent, and no more than declared', () => {
    expect(checkClnParams('listincome', [false, null, 5])).toEqual({ ok: true, value: { consolidate_fees: false, end_time: 5 } });
    expect(checkClnParams('inspect', [])).toMatchObject({ message: 'missing required parameter: account' });
    expect(checkClnParams('inspect', ['a', 'b'])).toEqual({ ok: false, code: -32602, message: 'too many parameters: got 2, expected 1' });
    expect(checkClnParams('listbalances', 'x')).toEqual({ ok: false, code: -32602, message: 'Expected array or object for params' });
  });

  it('checks a named null as sent: a bad number or flag, the text "null" for a string', () => {
    expect(ask('listincome', { start_time: null })).toEqual(error(-32602, `start_time: should be an unsigned 64 bit integer${INVALID}`));
    expect(ask('listincome', { consolidate_fees: null })).toEqual(error(-32602, `consolidate_fees: should be 'true' or 'false'${INVALID}`));
    expect(ask('listaccountevents', { account: null })).toEqual(error(-32602, "Account 'null' not found"));
  });
});

describe('param kinds', () => {
  it('u64 (start_time, end_time): strtoull base 0 over the whole token, so digit strings too', () => {
    for (const [sent, read] of [[0, 0], ['1000', 1000], ['0x10', 16], ['010', 8], ['', 0], [' 7', 7]] as const) {
      expect(checkClnParams('channelsapy', { start_time: sent }), String(sent)).toEqual({ ok: true, value: { start_time: read } });
    }
    for (const sent of [1.5, '1.5', 'abc', '0x', '08', true, [], {}, '18446744073709551616']) {
      expect(checkClnParams('channelsapy', { end_time: sent }), JSON.stringify(sent)).toEqual({ ok: false, code: -32602, message: `end_time: should be an unsigned 64 bit integer${INVALID}` });
    }
  });

  it('u64 is bound to SQL as an int64: 2^64 - 1 and -1 both read as -1', () => {
    expect(checkClnParams('listincome', { end_time: '18446744073709551615' })).toEqual({ ok: true, value: { end_time: -1 } });
    expect(checkClnParams('listincome', { end_time: -1 })).toEqual({ ok: true, value: { end_time: -1 } });
    expect(ask('listincome', { end_time: -1 })).toEqual({ result: { income_events: [] } });
  });

  it('bool (consolidate_fees): the JSON literals only, not their strings', () => {
    expect(checkClnParams('listincome', { consolidate_fees: false })).toEqual({ ok: true, value: { consolidate_fees: false } });
    for (const sent of ['true', 'false', 0, 1]) {
      expect(ask('listincome', { consolidate_fees: sent })).toEqual(error(-32602, `consolidate_fees: should be 'true' or 'false'${INVALID}`));
    }
  });

  it('sha256 (payment_id): 64 hex digits of either case', () => {
    expect(checkClnParams('listaccountevents', { payment_id: P.toUpperCase() })).toEqual({ ok: true, value: { payment_id: P } });
    for (const sent of [P.slice(2), `${P}00`, `${P.slice(1)}g`, 5, true]) {
      expect(ask('listaccountevents', { payment_id: sent })).toEqual(error(-32602, `payment_id: should be a 32 byte hex value${INVALID}`));
    }
    expect(checkClnParams('editdescriptionbypaymentid', { payment_id: 'x', description: 'd' })).toMatchObject({ message: `payment_id: should be a 32 byte hex value${INVALID}` });
  });

  it('outpoint: txid:outnum, outnum as json_to_u32 reads it', () => {
    expect(checkClnParams('editdescriptionbyoutpoint', { outpoint: `${P.toUpperCase()}:0x1`, description: 'd' })).toEqual({ ok: true, value: { outpoint: `${P}:1`, description: 'd' } });
    for (const sent of [P, `${P}:`.slice(0, 64), `${P}:x`, `${P}:4294967296`, `${P.slice(2)}:0`, `${P}:0:1`]) {
      expect(checkClnParams('editdescriptionbyoutpoint', { outpoint: sent, description: 'd' }), sent).toMatchObject({ message: `outpoint: should be a txid:outnum${INVALID}` });
    }
  });

  it('string (account, description, csv_file): any token, a non-string as its JSON text', () => {
    expect(checkClnParams('editdescriptionbypaymentid', { payment_id: P, description: 5 })).toEqual({ ok: true, value: { payment_id: P, description: '5' } });
    expect(ask('listaccountevents', { account: 7 })).toEqual(error(-32602, "Account '7' not found"));
  });

  it("csv_format: one of CLN's four names, as a string", () => {
    const message = `csv_format: should be one of: "cointracker","koinly","harmony","quickbooks"${INVALID}`;
    for (const sent of ['CoinTracker', 'csv', '', 1]) expect(ask('dumpincomecsv', { csv_format: sent })).toEqual(error(-32602, message));
    expect(ask('dumpincomecsv', { csv_format: 'koinly', csv_file: 'k.csv', consolidate_fees: false, start_time: 0, end_time: 10 })).toMatchObject({ result: { csv_format: 'koinly' } });
  });
});

describe('each command: its own errors and its empty answers', () => {
  it('listbalances takes no params; with no accounts, an empty list', () => {
    expect(ask('listbalances', {}, empty)).toEqual({ result: { accounts: [] } });
  });

  it("listaccountevents: not both; an unknown account is -32602 with the name quoted; an unknown payment id, no events", () => {
    expect(ask('listaccountevents', { account: 'wallet', payment_id: P })).toEqual(error(-32602, 'Can only specify one of {account} or {payment_id}'));
    expect(ask('listaccountevents', { payment_id: P, account: 'wallet' })).toEqual(error(-32602, 'Can only specify one of {account} or {payment_id}'));
    expect(ask('listaccountevents', { account: 'nope' })).toEqual(error(-32602, "Account 'nope' not found"));
    expect(ask('listaccountevents', { account: '' })).toEqual(error(-32602, "Account '' not found"));
    expect(ask('listaccountevents', { payment_id: P })).toEqual({ result: { events: [] } });
    expect(ask('listaccountevents', {}, empty)).toEqual({ result: { events: [] } });
  });

  it('inspect: wallet and external are refused before the lookup; an unknown account is -3, unquoted', () => {
    expect(ask('inspect', { account: 'wallet' })).toEqual(error(-3, '`inspect` not supported for non-channel accounts'));
    expect(ask('inspect', { account: 'external' }, empty)).toEqual(error(-3, '`inspect` not supported for non-channel accounts'));
    expect(ask('inspect', { account: 'nope' })).toEqual(error(-3, 'Account nope not found'));
    expect(ask('inspect', { account: '' })).toEqual(error(-3, 'Account  not found'));
  });

  it('listincome and channelsapy on an empty node: empty lists (no net entry)', () => {
    expect(ask('listincome', {}, empty)).toEqual({ result: { income_events: [] } });
    expect(ask('listincome', { consolidate_fees: false, start_time: 0, end_time: 1 }, empty)).toEqual({ result: { income_events: [] } });
    expect(ask('channelsapy', {}, empty)).toEqual({ result: { channels_apy: [] } });
    expect(ask('channelsapy', { start_time: '5', end_time: 10 })).toEqual({ result: { channels_apy: [] } });
  });

  it('listincome honours the window CLN binds: timestamp > start_time and <= end_time', () => {
    expect(ask('listincome', { start_time: 999, end_time: '1000' })).toMatchObject({ result: { income_events: [{ account: 'wallet', tag: 'deposit' }] } });
    expect(ask('listincome', { start_time: '1000' })).toEqual({ result: { income_events: [] } });
  });
});
