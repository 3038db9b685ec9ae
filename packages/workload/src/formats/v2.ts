import { msatJson, type JsonObject } from '../json.js';
import type { ChainRecord, ChannelRecord, SimRecord, SnapshotRecord, UtxoDepositRecord, UtxoSpendRecord } from '../records.js';
import type { NotificationFormat } from './format.js';

/** The plugin name 3rd-party wallet notifications are forwarded under (`{"origin": …, "payload": …}`). */
export const THIRD_PARTY_PLUGIN = 'bookkeeper_custom_coins';

/**
 * CLN's notifications at the reference version (format version 2), field for field and in
 * lightningd's key order (lightningd/notification.c):
 * `version, node_id, peer_id?, type, account_id, originating_account?, [chain: txid?, utxo_txid,
 * vout, payment_hash?] | [channel: payment_hash?, part_id?], credit_msat, debit_msat,
 * output_msat? (chain), output_count? (only if > 0), fees_msat (channel), tags, blockheight
 * (chain), timestamp, coin_type`. `utxo_deposit`/`utxo_spend` come wrapped as a plugin's custom
 * notification, as in the golden case `third_party_external_after_spend`.
 */
export function createV2Format(): NotificationFormat {
  return { name: 'v2', encode: encodeV2 };
}

export function encodeV2(record: SimRecord): JsonObject {
  switch (record.kind) {
    case 'chain':
      return { coin_movement: chainBody(record) };
    case 'channel':
      return { coin_movement: channelBody(record) };
    case 'snapshot':
      return { balance_snapshot: snapshotBody(record) };
    case 'utxo_deposit':
      return { origin: THIRD_PARTY_PLUGIN, payload: { utxo_deposit: utxoDepositBody(record) } };
    case 'utxo_spend':
      return { origin: THIRD_PARTY_PLUGIN, payload: { utxo_spend: utxoSpendBody(record) } };
  }
}

function chainBody(r: ChainRecord): JsonObject {
  const body: JsonObject = { version: 2, node_id: r.nodeId };
  if (r.peerId !== undefined) body['peer_id'] = r.peerId;
  body['type'] = 'chain_mvt';
  body['account_id'] = r.account;
  if (r.originAccount !== undefined) body['originating_account'] = r.originAccount;
  if (r.spendingTxid !== undefined) body['txid'] = r.spendingTxid;
  body['utxo_txid'] = r.txid;
  body['vout'] = r.vout;
  if (r.paymentHash !== undefined) body['payment_hash'] = r.paymentHash;
  body['credit_msat'] = msatJson(r.creditMsat);
  body['debit_msat'] = msatJson(r.debitMsat);
  body['output_msat'] = msatJson(r.outputMsat);
  if (r.outputCount !== undefined && r.outputCount > 0) body['output_count'] = r.outputCount;
  body['tags'] = [...r.tags];
  body['blockheight'] = r.blockheight;
  body['timestamp'] = r.timestamp;
  body['coin_type'] = r.coinType;
  return body;
}

function channelBody(r: ChannelRecord): JsonObject {
  const body: JsonObject = { version: 2, node_id: r.nodeId, type: 'channel_mvt', account_id: r.account };
  if (r.paymentHash !== undefined) body['payment_hash'] = r.paymentHash;
  if (r.partId !== undefined) body['part_id'] = r.partId;
  body['credit_msat'] = msatJson(r.creditMsat);
  body['debit_msat'] = msatJson(r.debitMsat);
  body['fees_msat'] = msatJson(r.feesMsat);
  body['tags'] = [...r.tags];
  body['timestamp'] = r.timestamp;
  body['coin_type'] = r.coinType;
  return body;
}

/** `balance_snapshot` as lightningd sends it; the same in every format. */
export function snapshotBody(r: SnapshotRecord): JsonObject {
  return {
    node_id: r.nodeId,
    blockheight: r.blockheight,
    timestamp: r.timestamp,
    accounts: r.accounts.map((a) => ({ account_id: a.account, balance_msat: msatJson(a.balanceMsat), coin_type: a.coinType })),
  };
}

function utxoDepositBody(r: UtxoDepositRecord): JsonObject {
  return {
    account: r.account,
    transfer_from: r.transferFrom,
    outpoint: `${r.txid}:${r.vout}`,
    amount_msat: msatJson(r.amountMsat),
    coin_type: r.coinType,
    timestamp: r.timestamp,
    blockheight: r.blockheight,
  };
}

/** `utxo_spend` as the 3rd-party wallet plugin sends it (the envelope aside, the same in every format). */
export function utxoSpendBody(r: UtxoSpendRecord): JsonObject {
  return {
    account: r.account,
    outpoint: `${r.txid}:${r.vout}`,
    spending_txid: r.spendingTxid,
    amount_msat: msatJson(r.amountMsat),
    coin_type: r.coinType,
    timestamp: r.timestamp,
    blockheight: r.blockheight,
  };
}
