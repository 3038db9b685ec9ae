import { describe, expect, it } from 'vitest';
import { ReplayedNode } from './cln-replay.testing.js';

// Closes and opens as CLN's lightningd/onchaind really report them (coin_movement v2, as in
// the golden cases), replayed through normalizeNotification → factFromMovement → keepBooks →
// answerQuery. The expected figures are worked out from CLN's bookkeeper at f36be4b006
// (plugins/bkpr/recorder.c, bookkeeper.c, incomestmt.c, channelsapy.c) and the coin movements
// onchaind.c / lightningd emit; the CLN function or test each rule comes from is named.

const NODE = '02' + '66'.repeat(32);
const PEER = '03' + '5d'.repeat(32);
const txid = (c: string) => c.repeat(64);

interface ChainMove {
  account: string;
  utxo: string;
  credit?: number;
  debit?: number;
  output?: number;
  tags: string[];
  bh: number;
  ts: number;
  txid?: string;
  origin?: string;
  peer?: string;
  outputCount?: number;
  paymentHash?: string;
}

/** A `chain_mvt` with the keys lightningd sends (lightningd/notification.c). */
function chainMvt(m: ChainMove) {
  const [utxoTxid, vout] = m.utxo.split(':');
  const body: Record<string, unknown> = { version: 2, node_id: NODE };
  if (m.peer) body['peer_id'] = m.peer;
  Object.assign(body, { type: 'chain_mvt', account_id: m.account });
  if (m.origin) body['originating_account'] = m.origin;
  if (m.txid) body['txid'] = m.txid;
  Object.assign(body, { utxo_txid: utxoTxid, vout: Number(vout) });
  if (m.paymentHash) body['payment_hash'] = m.paymentHash;
  const amount = m.credit ?? m.debit ?? 0;
  Object.assign(body, { credit_msat: m.credit ?? 0, debit_msat: m.debit ?? 0, output_msat: m.output ?? amount });
  if (m.outputCount) body['output_count'] = m.outputCount;
  Object.assign(body, { tags: m.tags, blockheight: m.bh, timestamp: m.ts, coin_type: 'bcrt' });
  return { coin_movement: body };
}

function channelMvt(m: { account: string; tag: string; credit?: number; debit?: number; fees?: number; paymentHash?: string; ts: number }) {
  const body: Record<string, unknown> = { version: 2, node_id: NODE, type: 'channel_mvt', account_id: m.account };
  if (m.paymentHash) body['payment_hash'] = m.paymentHash;
  Object.assign(body, { credit_msat: m.credit ?? 0, debit_msat: m.debit ?? 0, fees_msat: m.fees ?? 0, tags: [m.tag], timestamp: m.ts, coin_type: 'bcrt' });
  return { coin_movement: body };
}

/** One node's bookkeeper, with the figures these cases compare. */
class Node extends ReplayedNode {
  constructor() {
    super(NODE);
  }
  /** Fee rows in listing order: [account, the txid's repeated character, net delta, timestamp]. */
  feeRows(): [string, string, number, number][] {
    return this.ask('listaccountevents').events.filter((e: any) => e.type === 'onchain_fee').map((e: any) => [e.account, e.txid[0], e.credit_msat - e.debit_msat, e.timestamp]);
  }
  balances(): Record<string, any> {
    return Object.fromEntries(this.ask('listbalances').accounts.map((a: any) => [a.account, a]));
  }
  income(consolidate = true): [string, string, number, number, number][] {
    return this.ask('listincome', { consolidate_fees: consolidate }).income_events.map((r: any) => [r.account, r.tag, r.credit_msat, r.debit_msat, r.timestamp]);
  }
}

const CHAN = 'c1'.repeat(32);
const [W0, F, C, S1, H, S2] = ['0', '1', '2', '3', '4', '5'].map(txid);

/** We fund a channel from the wallet (golden channel_we_opened_mutual_close's shape). */
const weOpen = () => [
  chainMvt({ account: 'wallet', utxo: `${W0}:0`, credit: 2_000_000_000, tags: ['deposit'], bh: 100, ts: 1_000 }),
  chainMvt({ account: 'wallet', utxo: `${F}:1`, credit: 999_000_000, tags: ['deposit'], bh: 101, ts: 1_100 }),
  chainMvt({ account: 'wallet', utxo: `${W0}:0`, txid: F, debit: 2_000_000_000, output: 2_000_000_000, tags: ['withdrawal'], bh: 101, ts: 1_100 }),
  chainMvt({ account: CHAN, utxo: `${F}:0`, credit: 1_000_000_000, tags: ['channel_open', 'opener'], peer: PEER, bh: 101, ts: 1_200 }),
  channelMvt({ account: CHAN, tag: 'invoice', debit: 200_000_000, paymentHash: txid('a'), ts: 1_500 }),
];

describe('our unilateral close with anchors, a delayed to_us output and an HTLC timed out on chain', () => {
  // onchaind.c record_coin_movements / handle_our_unilateral: at the close, to_them and the peer's
  // anchor go to `external`, our anchor to `wallet` as ["anchor","ignored"], all with the channel
  // as originating_account (onchain_control.c handle_onchain_log_coin_move). The delayed output is
  // recorded (delayed_to_us deposit + to_wallet spend) when it is swept; an HTLC we offered as
  // htlc_timeout deposit + htlc_timeout spend into the HTLC-timeout tx, whose delayed output is
  // htlc_tx deposit + to_wallet spend when swept. The sweeps' wallet outputs arrive from the
  // block scan, with no origin, before onchaind's report of the same block.
  const close = [
    chainMvt({ account: CHAN, utxo: `${F}:0`, txid: C, debit: 800_000_000, output: 1_000_000_000, outputCount: 5, tags: ['channel_close'], bh: 110, ts: 2_000 }),
    chainMvt({ account: 'external', origin: CHAN, utxo: `${C}:1`, credit: 200_000_000, tags: ['to_them'], bh: 110, ts: 2_000 }),
    chainMvt({ account: 'wallet', origin: CHAN, utxo: `${C}:3`, credit: 330_000, tags: ['anchor', 'ignored'], bh: 110, ts: 2_000 }),
    chainMvt({ account: 'external', origin: CHAN, utxo: `${C}:4`, credit: 330_000, tags: ['anchor'], bh: 110, ts: 2_000 }),
  ];
  const sweepDelayed = [
    chainMvt({ account: 'wallet', utxo: `${S1}:0`, credit: 747_000_000, tags: ['deposit'], bh: 115, ts: 2_500 }),
    chainMvt({ account: CHAN, utxo: `${C}:0`, credit: 747_340_000, tags: ['delayed_to_us'], bh: 110, ts: 2_500 }),
    chainMvt({ account: CHAN, utxo: `${C}:0`, txid: S1, debit: 747_340_000, tags: ['to_wallet'], bh: 115, ts: 2_500 }),
  ];
  const timeoutHtlc = [
    chainMvt({ account: CHAN, utxo: `${C}:2`, credit: 50_000_000, tags: ['htlc_timeout'], bh: 110, ts: 3_000 }),
    chainMvt({ account: CHAN, utxo: `${C}:2`, txid: H, debit: 50_000_000, tags: ['htlc_timeout'], bh: 120, ts: 3_000 }),
  ];
  const sweepHtlc = [
    chainMvt({ account: 'wallet', utxo: `${S2}:0`, credit: 49_000_000, tags: ['deposit'], bh: 130, ts: 4_000 }),
    chainMvt({ account: CHAN, utxo: `${H}:0`, credit: 49_500_000, tags: ['htlc_tx'], bh: 120, ts: 4_000 }),
    chainMvt({ account: CHAN, utxo: `${H}:0`, txid: S2, debit: 49_500_000, tags: ['to_wallet'], bh: 130, ts: 4_000 }),
  ];

  it('charges no close fee until every output is traced (recorder.c maybe_mark_account_onchain; run-recorder test_onchain_fee_chan_close)', () => {
    const node = new Node().send(...weOpen(), ...close, ...sweepDelayed, ...timeoutHtlc);
    expect(node.balances()[CHAN]).toMatchObject({ account_closed: true, account_resolved: false });
    expect(node.feeRows().filter((r) => r[1] === '2')).toEqual([]);
  });

  it('resolves at the highest block of its own spends; the close fee is the debit less our outputs (recorder.c update_channel_onchain_fees)', () => {
    const node = new Node().send(...weOpen(), ...close, ...sweepDelayed, ...timeoutHtlc, ...sweepHtlc);
    expect(node.feeRows()).toEqual([
      ['wallet', '1', 1_001_000_000, 1_100],
      ['wallet', '1', -1_001_000_000, 1_100],
      [CHAN, '1', 1_000_000, 1_200],
      [CHAN, '2', 2_660_000, 2_000], // 800 000 000 − 747 340 000 − 50 000 000: anchors and to_them left out
      [CHAN, '3', 340_000, 2_500], // sweeps are the channel's, not the wallet's (maybe_update_onchain_fees)
      [CHAN, '4', 500_000, 3_000], // dated by the channel's earliest event in that tx
      [CHAN, '5', 500_000, 4_000],
    ]);
    const balances = node.balances();
    expect(balances[CHAN]).toEqual({
      account: CHAN, peer_id: PEER, we_opened: true, account_closed: true, account_resolved: true, resolved_at_block: 130,
      balances: [{ balance_msat: 0, coin_type: 'bcrt' }],
    });
    // The anchor counts in listbalances (ignored events are not left out there).
    expect(balances['wallet'].balances).toEqual([{ balance_msat: 1_795_330_000, coin_type: 'bcrt' }]);
    expect(node.income()).toEqual([
      ['wallet', 'deposit', 2_000_000_000, 0, 1_000],
      [CHAN, 'onchain_fee', 0, 1_000_000, 1_200],
      [CHAN, 'invoice', 0, 200_000_000, 1_500],
      [CHAN, 'onchain_fee', 0, 2_660_000, 2_000],
      [CHAN, 'onchain_fee', 0, 340_000, 2_500],
      [CHAN, 'onchain_fee', 0, 500_000, 3_000],
      [CHAN, 'onchain_fee', 0, 500_000, 4_000],
    ]);
  });
});

describe('the peer broadcast a revoked commitment (onchaind.c handle_their_cheat)', () => {
  // Our output of their commitment goes to the wallet (onchain_add_utxo: deposit, origin the
  // channel); their delayed output is ours by penalty: a `penalty` deposit and a `to_wallet`
  // spend into our penalty tx when it confirms (record_coin_movements).
  const cheat = (theirOutput: unknown[]) => [
    ...weOpen(),
    chainMvt({ account: CHAN, utxo: `${F}:0`, txid: C, debit: 800_000_000, output: 1_000_000_000, outputCount: 2, tags: ['channel_close'], bh: 110, ts: 2_000 }),
    chainMvt({ account: 'wallet', origin: CHAN, utxo: `${C}:0`, credit: 900_000_000, tags: ['deposit'], bh: 110, ts: 2_000 }),
    ...theirOutput,
  ];

  it('records what came back above the close debit as a penalty_adj pair; only its credit is income (update_channel_onchain_fees, incomestmt.c)', () => {
    const node = new Node().send(...cheat([
      chainMvt({ account: 'wallet', utxo: `${S1}:0`, credit: 97_500_000, tags: ['deposit'], bh: 111, ts: 2_100 }),
      chainMvt({ account: CHAN, utxo: `${C}:1`, credit: 98_000_000, tags: ['penalty'], bh: 110, ts: 2_100 }),
      chainMvt({ account: CHAN, utxo: `${C}:1`, txid: S1, debit: 98_000_000, tags: ['to_wallet'], bh: 111, ts: 2_100 }),
    ]));
    const events = node.ask('listaccountevents', { account: CHAN }).events;
    expect(events.filter((e: any) => e.tag === 'penalty_adj').map((e: any) => [e.credit_msat, e.debit_msat, e.timestamp])).toEqual([[198_000_000, 0, 2_000], [0, 198_000_000, 2_000]]);
    expect(node.feeRows().filter((r) => r[0] === CHAN)).toEqual([[CHAN, '1', 1_000_000, 1_200], [CHAN, '3', 500_000, 2_100]]);
    expect(node.balances()[CHAN]).toMatchObject({ account_resolved: true, resolved_at_block: 111, balances: [{ balance_msat: 0, coin_type: 'bcrt' }] });
    expect(node.income().filter((r) => r[0] === CHAN && r[1] !== 'onchain_fee')).toEqual([
      [CHAN, 'invoice', 0, 200_000_000, 1_500],
      [CHAN, 'penalty_adj', 198_000_000, 0, 2_000],
    ]);
  });

  it('leaves a stolen output out of what came back; resolved at the close block (recorder.c find_txo_chain)', () => {
    const node = new Node().send(...cheat([
      chainMvt({ account: 'external', origin: CHAN, utxo: `${C}:1`, credit: 98_000_000, tags: ['stolen'], bh: 110, ts: 2_100 }),
    ]));
    const adj = node.ask('listaccountevents', { account: CHAN }).events.filter((e: any) => e.tag === 'penalty_adj');
    expect(adj.map((e: any) => [e.credit_msat, e.debit_msat])).toEqual([[100_000_000, 0], [0, 100_000_000]]);
    expect(node.balances()[CHAN]).toMatchObject({ account_resolved: true, resolved_at_block: 110 });
  });
});

describe('an HTLC we offered, fulfilled on chain by the peer (onchaind.c OUR_HTLC spent with the preimage)', () => {
  // record_to_them_htlc_fulfilled: an `external` htlc_fulfill deposit of the HTLC output, then an
  // `external` htlc_fulfill spend of it into the peer's tx, both with the channel as origin.
  it('counts it as ours in the close fee; income gets both swapped rows on the channel (incomestmt.c maybe_chain_income)', () => {
    const T = txid('6');
    const node = new Node().send(
      ...weOpen(),
      chainMvt({ account: CHAN, utxo: `${F}:0`, txid: C, debit: 800_000_000, output: 1_000_000_000, outputCount: 3, tags: ['channel_close'], bh: 110, ts: 2_000 }),
      chainMvt({ account: 'external', origin: CHAN, utxo: `${C}:1`, credit: 200_000_000, tags: ['to_them'], bh: 110, ts: 2_000 }),
      chainMvt({ account: 'wallet', utxo: `${S1}:0`, credit: 747_000_000, tags: ['deposit'], bh: 115, ts: 2_500 }),
      chainMvt({ account: CHAN, utxo: `${C}:0`, credit: 748_000_000, tags: ['delayed_to_us'], bh: 110, ts: 2_500 }),
      chainMvt({ account: CHAN, utxo: `${C}:0`, txid: S1, debit: 748_000_000, tags: ['to_wallet'], bh: 115, ts: 2_500 }),
      chainMvt({ account: 'external', origin: CHAN, utxo: `${C}:2`, credit: 50_000_000, paymentHash: txid('b'), tags: ['htlc_fulfill'], bh: 110, ts: 3_000 }),
      chainMvt({ account: 'external', origin: CHAN, utxo: `${C}:2`, txid: T, debit: 50_000_000, tags: ['htlc_fulfill'], bh: 112, ts: 3_000 }),
    );
    expect(node.balances()[CHAN]).toMatchObject({ account_resolved: true, resolved_at_block: 115 });
    expect(node.feeRows().filter((r) => r[1] === '2')).toEqual([[CHAN, '2', 2_000_000, 2_000]]); // 800 − 748 − 50 (M)
    expect(node.income().filter((r) => r[1] === 'htlc_fulfill')).toEqual([
      [CHAN, 'htlc_fulfill', 0, 50_000_000, 3_000],
      [CHAN, 'htlc_fulfill', 50_000_000, 0, 3_000],
    ]);
  });
});

describe('a revoked commitment with an HTLC the peer timed out, whose output we took by penalty', () => {
  // onchaind.c: their HTLC-timeout tx spending a revoked HTLC output is recorded as an `external`
  // htlc_timeout deposit and spend, both also tagged `stealable`, so the trace follows it
  // (find_txo_chain); our penalty on its output is a `penalty` deposit + `to_wallet` spend.
  const T2 = txid('7');
  const facts = () => [
    ...weOpen(),
    chainMvt({ account: CHAN, utxo: `${F}:0`, txid: C, debit: 800_000_000, output: 1_000_000_000, outputCount: 3, tags: ['channel_close'], bh: 110, ts: 2_000 }),
    chainMvt({ account: 'wallet', origin: CHAN, utxo: `${C}:0`, credit: 850_000_000, tags: ['deposit'], bh: 110, ts: 2_000 }),
    chainMvt({ account: 'wallet', utxo: `${S1}:0`, credit: 97_500_000, tags: ['deposit'], bh: 111, ts: 2_100 }),
    chainMvt({ account: CHAN, utxo: `${C}:1`, credit: 98_000_000, tags: ['penalty'], bh: 110, ts: 2_100 }),
    chainMvt({ account: CHAN, utxo: `${C}:1`, txid: S1, debit: 98_000_000, tags: ['to_wallet'], bh: 111, ts: 2_100 }),
    chainMvt({ account: 'external', origin: CHAN, utxo: `${C}:2`, credit: 50_000_000, tags: ['htlc_timeout', 'stealable'], bh: 110, ts: 2_200 }),
    chainMvt({ account: 'external', origin: CHAN, utxo: `${C}:2`, txid: T2, debit: 50_000_000, tags: ['htlc_timeout', 'stealable'], bh: 112, ts: 2_200 }),
    chainMvt({ account: 'wallet', utxo: `${S2}:0`, credit: 49_000_000, tags: ['deposit'], bh: 120, ts: 2_300 }),
    chainMvt({ account: CHAN, utxo: `${T2}:0`, credit: 49_500_000, tags: ['penalty'], bh: 112, ts: 2_300 }),
    chainMvt({ account: CHAN, utxo: `${T2}:0`, txid: S2, debit: 49_500_000, tags: ['to_wallet'], bh: 120, ts: 2_300 }),
  ];

  it('once resolved, re-runs the close figures on every later check, even while a followed tx is incomplete (bookkeeper.c do_account_close_checks)', () => {
    // Resolved when the third close output is known (block 111); CLN keeps its resolved block
    // and recomputes update_channel_onchain_fees at each of the three events that follow, so
    // the penalty_adj pair (950 + 98 − 800 = 148 M over) is written four times in all.
    const node = new Node().send(...facts());
    const adj = node.ask('listaccountevents', { account: CHAN }).events.filter((e: any) => e.tag === 'penalty_adj');
    expect(adj.map((e: any) => e.credit_msat - e.debit_msat)).toEqual([148_000_000, -148_000_000, 148_000_000, -148_000_000, 148_000_000, -148_000_000, 148_000_000, -148_000_000]);
    expect(node.balances()[CHAN]).toMatchObject({ account_resolved: true, resolved_at_block: 120 });
    // Their HTLC-timeout tx: what it spent less our penalty output, charged to the channel.
    expect(node.feeRows().filter((r) => r[1] === '7')).toEqual([[CHAN, '7', 500_000, 2_300]]);
  });
});

describe('a dual-funded open, before and after it locks in (channel_control.c channel_record_open)', () => {
  // Unconfirmed, lightningd reports the funding as `channel_proposed` at blockheight 0; at lock-in
  // the same outpoint as `channel_open`. Each side sees only its own inputs and change.
  const proposed = [
    chainMvt({ account: 'wallet', utxo: `${W0}:0`, credit: 600_000_000, tags: ['deposit'], bh: 100, ts: 1_000 }),
    chainMvt({ account: 'wallet', utxo: `${W0}:0`, txid: F, debit: 600_000_000, tags: ['withdrawal'], bh: 0, ts: 1_100 }),
    chainMvt({ account: 'wallet', utxo: `${F}:2`, credit: 99_000_000, tags: ['deposit'], bh: 0, ts: 1_100 }),
    chainMvt({ account: CHAN, utxo: `${F}:0`, credit: 500_000_000, output: 1_000_000_000, tags: ['channel_proposed', 'opener'], peer: PEER, bh: 0, ts: 1_100 }),
  ];
  const output = (tag: string) => ({ account: CHAN, outnum: 0, output_tag: tag, output_value_msat: 1_000_000_000, credit_msat: 500_000_000, currency: 'bcrt' });

  it('shows the proposed funding output while it is the only one (recorder.c find_txo_set keeps a last pending channel_proposed)', () => {
    const node = new Node().send(...proposed);
    expect(node.ask('inspect', { account: CHAN })).toEqual({ txs: [{ txid: F, fees_paid_msat: 1_000_000, outputs: [output('channel_proposed')] }] });
  });

  it('drops the proposal once the channel_open of the same output is known; our share of the fee only', () => {
    const node = new Node().send(...proposed, chainMvt({ account: CHAN, utxo: `${F}:0`, credit: 500_000_000, output: 1_000_000_000, tags: ['channel_open', 'opener'], peer: PEER, bh: 102, ts: 1_200 }));
    expect(node.ask('inspect', { account: CHAN })).toEqual({ txs: [{ txid: F, blockheight: 102, fees_paid_msat: 1_000_000, outputs: [output('channel_open')] }] });
    // The wallet alone first (501 M), then the channel; the open beside the proposal makes the
    // outputs exceed the inputs, so nothing is rewritten (maybe_update_onchain_fees waits).
    expect(node.feeRows()).toEqual([['wallet', '1', 501_000_000, 1_100], ['wallet', '1', -501_000_000, 1_100], [CHAN, '1', 1_000_000, 1_100]]);
  });
});

describe('a leased channel the peer opened (channel_control.c channel_record_open; channelsapy.c)', () => {
  // The lessor's channel_open (tags channel_open, leased; no opener) credits what we put in;
  // the lease fee the opener paid comes as a `lease_fee` channel credit.
  const LEASED = 'd2'.repeat(32);
  it('adds the lease fee to our start balance and yields apy_lease over the lease duration (4032 blocks)', () => {
    const node = new Node().send(
      chainMvt({ account: LEASED, utxo: `${F}:1`, credit: 500_000_000, output: 1_000_000_000, tags: ['channel_open', 'leased'], peer: PEER, bh: 102, ts: 1_200 }),
      channelMvt({ account: LEASED, tag: 'lease_fee', credit: 6_432_000, ts: 1_200 }),
      channelMvt({ account: LEASED, tag: 'routed', credit: 100_001_000, fees: 1_000, paymentHash: txid('c'), ts: 1_300 }),
    );
    expect(node.balances()[LEASED]).toMatchObject({ we_opened: false, account_closed: false, account_resolved: false });
    expect(node.income()).toEqual([[LEASED, 'lease_fee', 6_432_000, 0, 1_200]]); // the routed credit side is no income
    const [row, net] = node.ask('channelsapy', { current_blockheight: 150 }).channels_apy;
    expect(row).toEqual({
      account: LEASED, routed_out_msat: 0, routed_in_msat: 100_001_000, lease_fee_paid_msat: 0, lease_fee_earned_msat: 6_432_000,
      pushed_out_msat: 0, pushed_in_msat: 0, our_start_balance_msat: 506_432_000, channel_start_balance_msat: 1_000_000_000,
      fees_out_msat: 0, fees_in_msat: 1_000, utilization_out: '0.0000%', utilization_out_initial: '0.0000%', utilization_in: '10.0001%',
      utilization_in_initial: '20.2608%', apy_out: '0.0000%', apy_out_initial: '0.0000%', apy_in: '0.1069%', apy_in_initial: '0.2165%',
      apy_total: '0.1069%', apy_total_initial: '0.1069%', apy_lease: '16.7066%',
    });
    expect(net).toEqual({ ...row, account: 'net' });
  });
});

describe('a splice-in of a channel we opened (channel_control.c channel_record_splice)', () => {
  // The old funding output's spend is a channel_close tagged `splice` (not a close: no closed
  // event, no output count: recorder.c maybe_update_account), the new output a channel_open.
  it('stays open; the splice tx fee is the channel\'s, the wallet excluded (maybe_update_onchain_fees)', () => {
    const [W2, X] = [txid('8'), txid('9')];
    const node = new Node().send(
      ...weOpen(),
      chainMvt({ account: 'wallet', utxo: `${W2}:0`, credit: 300_000_000, tags: ['deposit'], bh: 105, ts: 1_600 }),
      chainMvt({ account: CHAN, utxo: `${F}:0`, txid: X, debit: 800_000_000, output: 1_000_000_000, outputCount: 3, tags: ['channel_close', 'splice'], bh: 106, ts: 1_700 }),
      chainMvt({ account: 'wallet', utxo: `${W2}:0`, txid: X, debit: 300_000_000, tags: ['withdrawal'], bh: 106, ts: 1_700 }),
      chainMvt({ account: 'wallet', utxo: `${X}:2`, credit: 99_000_000, tags: ['deposit'], bh: 106, ts: 1_700 }),
      chainMvt({ account: CHAN, utxo: `${X}:0`, credit: 1_000_000_000, output: 1_200_000_000, tags: ['channel_open', 'opener'], peer: PEER, bh: 106, ts: 1_700 }),
    );
    expect(node.balances()[CHAN]).toMatchObject({ account_closed: false, account_resolved: false, balances: [{ balance_msat: 1_000_000_000, coin_type: 'bcrt' }] });
    expect(node.income().filter((r) => r[1] !== 'invoice')).toEqual([
      ['wallet', 'deposit', 2_000_000_000, 0, 1_000],
      [CHAN, 'onchain_fee', 0, 1_000_000, 1_200],
      ['wallet', 'deposit', 300_000_000, 0, 1_600],
      [CHAN, 'onchain_fee', 0, 1_000_000, 1_700],
    ]);
    expect(node.ask('inspect', { account: CHAN }).txs.map((t: any) => [t.txid[0], t.blockheight, t.fees_paid_msat])).toEqual([['9', 106, 1_000_000]]);
  });
});

describe("an output of a close spent by two sweeps (an RBF'd sweep, both spends reported)", () => {
  // recorder.c find_txos_for_tx orders a tx's events by outnum, spending txid (as stored: the
  // txid's bytes reversed, NULLS FIRST), then blockheight: the output pairs with the spend whose
  // txid sorts first, whichever block or arrival order the two have.
  const [R1, R2] = [`${'0'.repeat(62)}ff`, `${'0'.repeat(62)}01`]; // stored order: R2 (01…) before R1 (ff…)
  const close = [
    chainMvt({ account: CHAN, utxo: `${F}:0`, txid: C, debit: 800_000_000, output: 1_000_000_000, outputCount: 2, tags: ['channel_close'], bh: 110, ts: 2_000 }),
    chainMvt({ account: 'external', origin: CHAN, utxo: `${C}:1`, credit: 200_000_000, tags: ['to_them'], bh: 110, ts: 2_000 }),
    chainMvt({ account: CHAN, utxo: `${C}:0`, credit: 800_000_000, tags: ['delayed_to_us'], bh: 110, ts: 2_500 }),
  ];
  const sweepR1 = chainMvt({ account: CHAN, utxo: `${C}:0`, txid: R1, debit: 800_000_000, tags: ['to_wallet'], bh: 114, ts: 2_500 });
  const sweepR2 = chainMvt({ account: CHAN, utxo: `${C}:0`, txid: R2, debit: 800_000_000, tags: ['to_wallet'], bh: 115, ts: 2_600 });

  it('pairs the output with the spend whose txid CLN stores first, in either arrival order (inspect)', () => {
    const pairedSpend = (...sweeps: unknown[]) => {
      const close_ = new Node().send(...weOpen(), ...close, ...sweeps).ask('inspect', { account: CHAN }).txs.find((t: any) => t.txid === C);
      return close_.outputs.filter((o: any) => o.outnum === 0).map((o: any) => [o.spend_tag ?? null, o.spending_txid ?? null]);
    };
    expect(pairedSpend(sweepR1, sweepR2)[0]).toEqual(['to_wallet', R2]);
    expect(pairedSpend(sweepR2, sweepR1)).toEqual(pairedSpend(sweepR1, sweepR2));
  });
});
