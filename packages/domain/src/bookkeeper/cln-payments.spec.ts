import { describe, expect, it } from 'vitest';
import type { ReadParams } from './answer.js';
import { ReplayedNode } from './cln-replay.testing.js';

/*
 * Payments, wallets and descriptions as CLN's bookkeeper (f36be4b006) answers them: each case
 * is the notification sequence lightningd emits (lightningd/coin_mvts.c, common/coin_mvt.c),
 * replayed as the conformance replay does (parse → normalize → fact → keepBooks → answer), and
 * the answers CLN's plugin gives (plugins/bkpr/*.c; tests/test_bookkeeper.py where it asserts).
 */

const NODE = '02' + '11'.repeat(32);
const hex = (c: string) => c.repeat(64).slice(0, 64);

type Params = Record<string, unknown>;

/** A node's books fed CLN-shaped notifications; asked as bkpr is. */
class Node extends ReplayedNode {
  constructor() {
    super(NODE);
  }

  income(params: ReadParams = {}): Params[] {
    return this.ask('listincome', params)['income_events'] as Params[];
  }

  events(params: ReadParams = {}): Params[] {
    return this.ask('listaccountevents', params)['events'] as Params[];
  }

  csv(format: string, params: ReadParams = {}): string[] {
    return String(this.ask('dumpincomecsv', { csv_format: format, ...params })['csv']).split('\n');
  }
}

/** `coin_movement` as lightningd serializes a chain move (notification.c). */
function chainMove(m: { account: string; utxo: string; credit?: number; debit?: number; output?: number; tags: string[]; blockheight?: number; timestamp: number; spendingTxid?: string; origin?: string; peerId?: string; outputCount?: number; paymentHash?: string }): Params {
  const [txid, vout] = m.utxo.split(':');
  return {
    coin_movement: {
      version: 2,
      node_id: NODE,
      ...(m.peerId ? { peer_id: m.peerId } : {}),
      type: 'chain_mvt',
      account_id: m.account,
      ...(m.origin ? { originating_account: m.origin } : {}),
      ...(m.spendingTxid ? { txid: m.spendingTxid } : {}),
      utxo_txid: txid,
      vout: Number(vout),
      ...(m.paymentHash ? { payment_hash: m.paymentHash } : {}),
      credit_msat: m.credit ?? 0,
      debit_msat: m.debit ?? 0,
      output_msat: m.output ?? (m.credit || m.debit || 0),
      ...(m.outputCount ? { output_count: m.outputCount } : {}),
      tags: m.tags,
      blockheight: m.blockheight ?? 101,
      timestamp: m.timestamp,
      coin_type: 'bcrt',
    },
  };
}

/** `coin_movement` as lightningd serializes a channel move. */
function channelMove(m: { account: string; credit?: number; debit?: number; fees?: number; tags: string[]; timestamp: number; paymentHash?: string; partId?: number }): Params {
  return {
    coin_movement: {
      version: 2,
      node_id: NODE,
      type: 'channel_mvt',
      account_id: m.account,
      ...(m.paymentHash ? { payment_hash: m.paymentHash } : {}),
      ...(m.partId !== undefined ? { part_id: m.partId } : {}),
      credit_msat: m.credit ?? 0,
      debit_msat: m.debit ?? 0,
      fees_msat: m.fees ?? 0,
      tags: m.tags,
      timestamp: m.timestamp,
      coin_type: 'bcrt',
    },
  };
}

const CHAN_A = hex('a1');
const CHAN_B = hex('b2');
const CHAN_C = hex('c3');
const PEER = '03' + '22'.repeat(32);

/** A node with the wallet funded and channels A (we opened, 1 000 000 000) and B, C (opened by peers, nothing of ours). */
function nodeWithChannels(): Node {
  return new Node().send(
    chainMove({ account: 'wallet', utxo: `${hex('01')}:0`, credit: 2_000_000_000, tags: ['deposit'], timestamp: 1_700_000_000 }),
    chainMove({ account: CHAN_A, utxo: `${hex('0a')}:0`, credit: 1_000_000_000, tags: ['channel_open', 'opener'], peerId: PEER, timestamp: 1_700_000_100, blockheight: 102 }),
    chainMove({ account: CHAN_B, utxo: `${hex('0b')}:1`, output: 500_000_000, tags: ['channel_open'], peerId: PEER, timestamp: 1_700_000_200, blockheight: 103 }),
    chainMove({ account: CHAN_C, utxo: `${hex('0c')}:0`, output: 700_000_000, tags: ['channel_open'], peerId: PEER, timestamp: 1_700_000_300, blockheight: 104 }),
  );
}

const T = 1_700_001_000; // 2023-11-14T22:30:00Z
const rowsOf = (rows: Params[]) => rows.map((r) => [r['account'], r['tag'], r['credit_msat'], r['debit_msat'], r['timestamp']]);

describe('invoices we pay (lightningd: new_channel_mvt_invoice_hout, one move per part with part_id and fees)', () => {
  const P = hex('f1');
  const paidInTwoParts = () =>
    nodeWithChannels().send(
      channelMove({ account: CHAN_A, debit: 100_010_000, fees: 10_000, tags: ['invoice'], paymentHash: P, partId: 1, timestamp: T }),
      channelMove({ account: CHAN_A, debit: 50_005_000, fees: 5_000, tags: ['invoice'], paymentHash: P, partId: 2, timestamp: T }),
    );

  it('lists each part as an invoice debit less its fees, followed by its invoice_fee (incomestmt.c: maybe_channel_income, paid_invoice_fee)', () => {
    expect(rowsOf(paidInTwoParts().income({ start_time: T - 1 }))).toEqual([
      [CHAN_A, 'invoice', 0, 100_000_000, T],
      [CHAN_A, 'invoice_fee', 0, 10_000, T],
      [CHAN_A, 'invoice', 0, 50_000_000, T],
      [CHAN_A, 'invoice_fee', 0, 5_000, T],
    ]);
  });

  it('shows the parts by payment id with their part_id and fees_msat (recorder.c: get_channel_events_by_id; channel_event.c: json_add_channel_event)', () => {
    expect(paidInTwoParts().events({ payment_id: P })).toEqual([1, 2].map((part) => ({
      account: CHAN_A, type: 'channel', tag: 'invoice', credit_msat: 0, debit_msat: part === 1 ? 100_010_000 : 50_005_000, fees_msat: part === 1 ? 10_000 : 5_000,
      currency: 'bcrt', payment_id: P, part_id: part, timestamp: T, is_rebalance: false,
    })));
  });

  it('puts the fee inline for cointracker and koinly (dropping invoice_fee rows), as its own row for harmony and quickbooks (incomestmt.c: *_entry)', () => {
    const n = paidInTwoParts();
    const window = { start_time: T - 1 };
    expect(n.csv('cointracker', window).slice(1)).toEqual([
      `11/14/2023 22:30:00,,,0.00100000000,bcrt,0.00000010000,bcrt,payment,${CHAN_A}`,
      `11/14/2023 22:30:00,,,0.00050000000,bcrt,0.00000005000,bcrt,payment,${CHAN_A}`,
    ]);
    expect(n.csv('koinly', window).slice(1)).toEqual([
      `2023-11-14 22:30 UTC,0.00100000000,bcrt,,,0.00000010000,bcrt,invoice,,${P}`,
      `2023-11-14 22:30 UTC,0.00050000000,bcrt,,,0.00000005000,bcrt,invoice,,${P}`,
    ]);
    expect(n.csv('harmony', window).slice(4)).toEqual([
      `2023-11-14T22:30:00Z,cln,expense:invoice,-0.00100000000,bcrt,${P},${P},${CHAN_A},,`,
      `2023-11-14T22:30:00Z,cln,expense:invoice_fee,-0.00000010000,bcrt,${P},${P},${CHAN_A},,`,
      `2023-11-14T22:30:00Z,cln,expense:invoice,-0.00050000000,bcrt,${P},${P},${CHAN_A},,`,
      `2023-11-14T22:30:00Z,cln,expense:invoice_fee,-0.00000005000,bcrt,${P},${P},${CHAN_A},,`,
    ]);
    expect(n.csv('quickbooks', window).slice(1, 3)).toEqual([`14/11/2023,invoice (${CHAN_A}) bcrt: no desc,,0.00100000000`, `14/11/2023,invoice_fee (${CHAN_A}) bcrt: no desc,,0.00000010000`]);
  });

  it('counts a keysend we send like any payment we make (am_origin: an invoice move with its part)', () => {
    const n = nodeWithChannels().send(channelMove({ account: CHAN_A, debit: 1_000_100, fees: 100, tags: ['invoice'], paymentHash: hex('4b'), partId: 0, timestamp: T }));
    expect(rowsOf(n.income({ start_time: T - 1 }))).toEqual([[CHAN_A, 'invoice', 0, 1_000_000, T], [CHAN_A, 'invoice_fee', 0, 100, T]]);
  });
});

describe('invoices we receive and their descriptions (test_bookkeeping_descriptions)', () => {
  const P = hex('d1');
  const received = () =>
    nodeWithChannels().send(
      // An MPP receipt: one move per incoming HTLC (new_channel_mvt_invoice_hin: no part_id, fees 0).
      channelMove({ account: CHAN_B, credit: 6_000_000, tags: ['invoice'], paymentHash: P, timestamp: T }),
      channelMove({ account: CHAN_C, credit: 5_000_000, tags: ['invoice'], paymentHash: P, timestamp: T + 1 }),
    );

  it('is income per HTLC; part_id 0 when the move has none', () => {
    const n = received();
    expect(rowsOf(n.income({ start_time: T - 1 }))).toEqual([[CHAN_B, 'invoice', 6_000_000, 0, T], [CHAN_C, 'invoice', 5_000_000, 0, T + 1]]);
    expect(n.events({ payment_id: P }).map((e) => [e['part_id'], e['fees_msat']])).toEqual([[0, undefined], [0, undefined]]);
  });

  it('an edit by payment id describes every event of the payment: listaccountevents, listincome and the CSVs show it, quotes turned to apostrophes', () => {
    const n = received();
    const text = 'test "bolt11" description, 🥰🪢';
    const updated = n.edit('payment_id', P, text);
    expect(updated.map((e) => [e['account'], e['description']])).toEqual([[CHAN_B, text], [CHAN_C, text]]);
    expect(n.income({ start_time: T - 1 }).map((r) => r['description'])).toEqual([text, text]);
    expect(n.csv('koinly', { start_time: T - 1 })[1]).toBe(`2023-11-14 22:30 UTC,,,0.00006000000,bcrt,,,invoice,"test 'bolt11' description, 🥰🪢",${P}`);
    expect(n.csv('quickbooks', { start_time: T - 1 })[1]).toBe(`14/11/2023,invoice (${CHAN_B}) bcrt: "test 'bolt11' description, 🥰🪢",0.00006000000,`);
    expect(n.csv('harmony', { start_time: T - 1 })[4]).toBe(`2023-11-14T22:30:00Z,cln,income:invoice,0.00006000000,bcrt,${P},${P},${CHAN_B},,"test 'bolt11' description, 🥰🪢"`);
  });

  it('an edit applies to the events there at the time (recorder.c: add_payment_hash_desc is an UPDATE); a later edit replaces it', () => {
    const n = nodeWithChannels().send(channelMove({ account: CHAN_B, credit: 6_000_000, tags: ['invoice'], paymentHash: P, timestamp: T }));
    n.edit('payment_id', P, 'first');
    n.send(channelMove({ account: CHAN_C, credit: 5_000_000, tags: ['invoice'], paymentHash: P, timestamp: T + 1 }));
    expect(n.events({ payment_id: P }).map((e) => e['description'])).toEqual(['first', undefined]);
    n.edit('payment_id', P, 'second');
    expect(n.events({ payment_id: P }).map((e) => e['description'])).toEqual(['second', 'second']);
  });

  it('escapes a description for the CSVs as JSON does (csv_safe_str: json_escape), UTF-8 kept', () => {
    const n = received();
    n.edit('payment_id', P, 'a\\b\nc\td\u0001e\u007ff é');
    expect(n.csv('koinly', { start_time: T - 1 })[1]).toContain(',invoice,"a\\\\b\\nc\\td\\u0001e\\u007Ff é",');
  });
});

describe('routed payments (new_channel_mvt_routed_hin / _hout: both sides carry the fees)', () => {
  const H = hex('72');

  it('earns the fee as one routed income row on the outgoing channel (maybe_channel_income: routed)', () => {
    const n = nodeWithChannels().send(
      channelMove({ account: CHAN_A, debit: 100_000_000, fees: 1_000, tags: ['routed'], paymentHash: H, timestamp: T }),
      channelMove({ account: CHAN_B, credit: 100_001_000, fees: 1_000, tags: ['routed'], paymentHash: H, timestamp: T }),
    );
    expect(rowsOf(n.income({ start_time: T - 1 }))).toEqual([[CHAN_A, 'routed', 1_000, 0, T]]);
    expect(n.csv('cointracker', { start_time: T - 1 })[1]).toBe(`11/14/2023 22:30:00,0.00000001000,bcrt,,,,,payment,${CHAN_A}`);
  });

  it('a forward at zero fee still gives a routed row, 0/0, which harmony prints as an expense of 0', () => {
    const n = nodeWithChannels().send(
      channelMove({ account: CHAN_B, credit: 5_000, tags: ['routed'], paymentHash: H, timestamp: T }),
      channelMove({ account: CHAN_A, debit: 5_000, tags: ['routed'], paymentHash: H, timestamp: T }),
    );
    expect(rowsOf(n.income({ start_time: T - 1 }))).toEqual([[CHAN_A, 'routed', 0, 0, T]]);
    expect(n.csv('harmony', { start_time: T - 1 })[4]).toBe(`2023-11-14T22:30:00Z,cln,expense:routed,0,bcrt,${H},${H},${CHAN_A},,`);
    expect(n.csv('cointracker', { start_time: T - 1 })[1]).toBe(`11/14/2023 22:30:00,,,,,,,payment,${CHAN_A}`);
    expect(n.csv('quickbooks', { start_time: T - 1 })[1]).toBe(`14/11/2023,routed (${CHAN_A}) bcrt: no desc,,`);
  });

  it('channelsapy counts volume in and out, fees in on the credit side and out on the debit side (channelsapy.c: compute_channel_apys)', () => {
    const n = nodeWithChannels().send(
      channelMove({ account: CHAN_A, debit: 100_000_000, fees: 1_000, tags: ['routed'], paymentHash: H, timestamp: T }),
      channelMove({ account: CHAN_B, credit: 100_001_000, fees: 1_000, tags: ['routed'], paymentHash: H, timestamp: T }),
    );
    const apy = n.ask('channelsapy', { current_blockheight: 150 })['channels_apy'] as Params[];
    expect(apy.map((r) => [r['account'], r['routed_out_msat'], r['routed_in_msat'], r['fees_out_msat'], r['fees_in_msat']])).toEqual([
      [CHAN_A, 100_000_000, 0, 1_000, 0],
      [CHAN_B, 0, 100_001_000, 0, 1_000],
      ['net', 100_000_000, 100_001_000, 1_000, 1_000],
    ]);
  });
});

describe('rebalances: a payment to ourselves (test_rebalance_tracking, recorder.c: maybe_record_rebalance)', () => {
  const R = hex('e7');
  const rebalanced = () =>
    nodeWithChannels().send(
      // The incoming HTLC is removed first (the credit "always arrives first"), then the outgoing one.
      channelMove({ account: CHAN_C, credit: 3_210, tags: ['invoice'], paymentHash: R, timestamp: T }),
      channelMove({ account: CHAN_A, debit: 4_211, fees: 1_001, tags: ['invoice'], paymentHash: R, partId: 0, timestamp: T }),
    );

  it('is no income: only a rebalance_fee debit of the fees, on the outbound channel, with the payment id', () => {
    expect(rebalanced().income({ start_time: T - 1 })).toEqual([{ account: CHAN_A, tag: 'rebalance_fee', credit_msat: 0, debit_msat: 1_001, currency: 'bcrt', timestamp: T, payment_id: R }]);
  });

  it('marks both halves is_rebalance', () => {
    expect(rebalanced().events({ payment_id: R }).map((e) => [e['account'], e['is_rebalance']])).toEqual([[CHAN_C, true], [CHAN_A, true]]);
  });

  it('writes the rebalance_fee in every CSV (only invoice_fee rows are inline), with no fee column', () => {
    const n = rebalanced();
    expect(n.csv('cointracker', { start_time: T - 1 }).slice(1)).toEqual([`11/14/2023 22:30:00,,,0.00000001001,bcrt,,,,${CHAN_A}`]);
    expect(n.csv('koinly', { start_time: T - 1 }).slice(1)).toEqual([`2023-11-14 22:30 UTC,0.00000001001,bcrt,,,,,rebalance_fee,,${R}`]);
  });

  it('pairs the first unpaired credit of the amount less fees; another credit of the payment stays income', () => {
    const n = rebalanced().send(channelMove({ account: CHAN_B, credit: 3_210, tags: ['invoice'], paymentHash: R, timestamp: T + 5 }));
    expect(rowsOf(n.income({ start_time: T - 1 }))).toEqual([[CHAN_A, 'rebalance_fee', 0, 1_001, T], [CHAN_B, 'invoice', 3_210, 0, T + 5]]);
  });
  it('we differ on purpose: a credit arriving after the paid half is paired too (CLN searches only when the debit arrives)', () => {
    const n = nodeWithChannels().send(
      channelMove({ account: CHAN_A, debit: 4_211, fees: 1_001, tags: ['invoice'], paymentHash: R, partId: 0, timestamp: T }),
      channelMove({ account: CHAN_C, credit: 3_210, tags: ['invoice'], paymentHash: R, timestamp: T }),
    );
    // CLN would list invoice debit 3 210 + invoice_fee 1 001 on A and invoice credit 3 210 on C.
    expect(rowsOf(n.income({ start_time: T - 1 }))).toEqual([[CHAN_A, 'rebalance_fee', 0, 1_001, T]]);
  });
});

describe('a push inside a channel (channel_control.c: new_coin_channel_push, tag pushed)', () => {
  it('is an expense for the opener that pushed, income for the peer; channelsapy takes it off our start', () => {
    const n = nodeWithChannels().send(
      channelMove({ account: CHAN_A, debit: 10_000_000, tags: ['pushed'], timestamp: T }),
      channelMove({ account: CHAN_B, credit: 20_000_000, tags: ['pushed'], timestamp: T }),
    );
    expect(rowsOf(n.income({ start_time: T - 1 }))).toEqual([[CHAN_A, 'pushed', 0, 10_000_000, T], [CHAN_B, 'pushed', 20_000_000, 0, T]]);
    const apy = n.ask('channelsapy', { current_blockheight: 150 })['channels_apy'] as Params[];
    expect(apy.map((r) => [r['account'], r['pushed_out_msat'], r['pushed_in_msat'], r['our_start_balance_msat']])).toEqual([
      [CHAN_A, 10_000_000, 0, 990_000_000],
      [CHAN_B, 0, 20_000_000, 20_000_000],
      ['net', 10_000_000, 20_000_000, 1_010_000_000],
    ]);
    expect(n.csv('harmony', { start_time: T - 1 }).slice(4, 6)).toEqual([
      `2023-11-14T22:30:00Z,cln,expense:pushed,-0.00010000000,bcrt,,,${CHAN_A},,`,
      `2023-11-14T22:30:00Z,cln,income:pushed,0.00020000000,bcrt,,,${CHAN_B},,`,
    ]);
  });
});

/** `utxo_deposit` / `utxo_spend` as a plugin sends them at the reference version (wrapped in origin/payload). */
const utxoDeposit = (d: { account: string; from: string | null; outpoint: string; amount: number; timestamp: number; blockheight?: number }): Params => ({
  origin: 'bookkeeper_custom_coins',
  payload: { utxo_deposit: { account: d.account, transfer_from: d.from, outpoint: d.outpoint, amount_msat: d.amount, coin_type: 'bcrt', timestamp: d.timestamp, blockheight: d.blockheight ?? 111 } },
});
const utxoSpend = (s: { account: string; outpoint: string; spendingTxid: string; amount: number; timestamp: number; blockheight?: number }): Params => ({
  origin: 'bookkeeper_custom_coins',
  payload: { utxo_spend: { account: s.account, outpoint: s.outpoint, spending_txid: s.spendingTxid, amount_msat: s.amount, coin_type: 'bcrt', timestamp: s.timestamp, blockheight: s.blockheight ?? 111 } },
});

describe('the on-chain wallet (test_bookkeeping_external_withdraws and its kin)', () => {
  const [D, W] = [hex('d0'), hex('70')];

  it('a send of a whole output to an external address: a withdrawal at broadcast time once confirmed, the rest a wallet fee', () => {
    const n = new Node().send(
      chainMove({ account: 'wallet', utxo: `${D}:0`, credit: 1_000_000_000, tags: ['deposit'], timestamp: 1_000 }),
      chainMove({ account: 'external', origin: 'wallet', utxo: `${W}:0`, credit: 999_800_000, tags: ['deposit'], blockheight: 0, timestamp: 1_100 }),
    );
    expect(rowsOf(n.income())).toEqual([['wallet', 'deposit', 1_000_000_000, 0, 1_000]]);
    n.send(chainMove({ account: 'wallet', utxo: `${D}:0`, spendingTxid: W, debit: 1_000_000_000, tags: ['withdrawal'], blockheight: 102, timestamp: 1_200 }));
    expect(rowsOf(n.income())).toEqual([
      ['wallet', 'deposit', 1_000_000_000, 0, 1_000],
      ['wallet', 'withdrawal', 0, 999_800_000, 1_100],
      ['wallet', 'onchain_fee', 0, 200_000, 1_200],
    ]);
    expect(n.events({ account: 'external' }).map((e) => [e['origin'], e['blockheight']])).toEqual([['wallet', 102]]);
  });

  it('coins from a 3rd-party wallet into ours: its deposit is income, ours a move; the fee is the 3rd party\'s (onchain_fee.c: wallet left out when others are involved)', () => {
    const stash = "nifty's secret stash";
    const n = new Node().send(
      utxoDeposit({ account: stash, from: null, outpoint: `${D}:0`, amount: 180_000_000, timestamp: 1_000 }),
      utxoSpend({ account: stash, outpoint: `${D}:0`, spendingTxid: W, amount: 180_000_000, timestamp: 1_100 }),
      chainMove({ account: 'wallet', utxo: `${W}:0`, credit: 179_990_000, tags: ['deposit'], blockheight: 112, timestamp: 1_200 }),
    );
    expect(rowsOf(n.income())).toEqual([
      [stash, 'deposit', 180_000_000, 0, 1_000],
      [stash, 'onchain_fee', 0, 10_000, 1_100],
    ]);
    expect((n.ask('listbalances')['accounts'] as Params[]).map((a) => [a['account'], (a['balances'] as Params[])[0]!['balance_msat']])).toEqual([[stash, 0], ['wallet', 179_990_000]]);
  });

  it('an edit by outpoint describes the outputs created there only (edit_utxo_description: credit > 0), and shows on their income rows', () => {
    const n = new Node().send(
      chainMove({ account: 'wallet', utxo: `${D}:0`, credit: 1_000_000_000, tags: ['deposit'], timestamp: 1_000 }),
      chainMove({ account: 'external', origin: 'wallet', utxo: `${W}:0`, credit: 999_800_000, tags: ['deposit'], blockheight: 0, timestamp: 1_100 }),
      chainMove({ account: 'wallet', utxo: `${D}:0`, spendingTxid: W, debit: 1_000_000_000, tags: ['withdrawal'], blockheight: 102, timestamp: 1_200 }),
    );
    expect(n.edit('outpoint', `${D}:0`, 'salary').map((e) => [e['tag'], e['description']])).toEqual([['deposit', 'salary']]);
    expect(n.edit('outpoint', `${W}:0`, 'rent').map((e) => [e['account'], e['description']])).toEqual([['external', 'rent']]);
    expect(n.edit('outpoint', `${'01'.repeat(32)}:100`, 'none')).toEqual([]);
    expect(n.income().map((r) => [r['tag'], r['description']])).toEqual([['deposit', 'salary'], ['withdrawal', 'rent'], ['onchain_fee', undefined]]);
    expect(n.events({ account: 'wallet' }).map((e) => [e['tag'], e['description']])).toEqual([['deposit', 'salary'], ['withdrawal', undefined], ['onchain_fee', undefined]]);
  });
});

describe('time windows of listincome and the CSVs (start_time < timestamp ≤ end_time)', () => {
  const [D, W] = [hex('d0'), hex('70')];
  const node = () =>
    new Node().send(
      chainMove({ account: 'wallet', utxo: `${D}:0`, credit: 1_000_000_000, tags: ['deposit'], timestamp: 1_000 }),
      chainMove({ account: 'wallet', utxo: `${W}:1`, credit: 499_800_000, tags: ['deposit'], blockheight: 102, timestamp: 2_000 }),
      chainMove({ account: 'wallet', utxo: `${D}:0`, spendingTxid: W, debit: 1_000_000_000, tags: ['withdrawal'], blockheight: 102, timestamp: 2_001 }),
      chainMove({ account: 'external', origin: 'wallet', utxo: `${W}:0`, credit: 500_000_000, tags: ['deposit'], blockheight: 102, timestamp: 2_002 }),
    );

  it('bounds events by the window; consolidated fees ignore it (find_consolidated_fees reads every fee row)', () => {
    const n = node();
    expect(rowsOf(n.income({ start_time: 1_000, end_time: 1_500 }))).toEqual([['wallet', 'onchain_fee', 0, 200_000, 2_000]]);
    expect(rowsOf(n.income({ start_time: 999, end_time: 1_000 }))).toEqual([['wallet', 'deposit', 1_000_000_000, 0, 1_000], ['wallet', 'onchain_fee', 0, 200_000, 2_000]]);
    expect(n.csv('koinly', { start_time: 1_000, end_time: 1_500 }).slice(1)).toEqual([`1970-01-01 00:33 UTC,0.00000200000,bcrt,,,,,onchain_fee,,${W}`]);
  });

  it('bounds the fee deltas too when not consolidating (list_chain_fees_timebox)', () => {
    const n = node();
    // The change came first: the wallet was charged 500 200 000, then refunded 500 000 000 (both dated at the change).
    expect(rowsOf(n.income({ consolidate_fees: false }))).toEqual([
      ['wallet', 'deposit', 1_000_000_000, 0, 1_000],
      ['wallet', 'onchain_fee', 0, 500_200_000, 2_000],
      ['wallet', 'onchain_fee', 500_000_000, 0, 2_000],
      ['wallet', 'withdrawal', 0, 500_000_000, 2_002],
    ]);
    expect(rowsOf(n.income({ consolidate_fees: false, start_time: 2_000 }))).toEqual([['wallet', 'withdrawal', 0, 500_000_000, 2_002]]);
    expect(n.csv('harmony', { consolidate_fees: false, start_time: 1_999, end_time: 2_000 }).slice(4)).toEqual([
      `1970-01-01T00:33:20Z,cln,fee:network,-0.00500200000,bcrt,${W},,wallet,,`,
      `1970-01-01T00:33:20Z,cln,fee:network,0.00500000000,bcrt,${W},,wallet,,`,
    ]);
  });
});
