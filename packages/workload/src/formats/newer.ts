import { msatJson, type JsonObject } from '../json.js';
import type { ChainRecord, ChannelRecord, SimRecord, UtxoDepositRecord } from '../records.js';
import type { NotificationFormat } from './format.js';
import { snapshotBody, utxoSpendBody } from './v2.js';

/**
 * The `coin_movement` format of CLN v25.09 and later (docs/CLN-BKPR-RULES.md §1.2, CLN's
 * `doc/schemas/notification/coin_movement.json`), as a node with the deprecated fields turned
 * off sends it:
 * - every movement carries `created_index`, 1-based and counted separately for chain and
 *   channel moves of one node (our movement id becomes `<node>:chain|channel:<n>`);
 * - `primary_tag` + `extra_tags` (channel moves too, empty) instead of `tags[]`;
 * - `utxo` (`"txid:vout"`) instead of `utxo_txid` + `vout`, `spending_txid` instead of `txid`;
 * - channel moves with a `part_id` also carry the payment's `group_id`.
 * Key order: `version, coin_type, node_id, type, created_index, account_id, credit_msat,
 * debit_msat, timestamp, primary_tag, extra_tags`, then for chain moves `utxo, peer_id?,
 * originating_account?, spending_txid?, payment_hash?, output_msat, output_count? (> 0),
 * blockheight`, for channel moves `payment_hash?, part_id?, group_id?, fees_msat`.
 * `utxo_deposit`/`utxo_spend` come bare (no plugin envelope), `transfer_from` only when there is
 * an origin. `balance_snapshot` is unchanged (lightningd still sends it).
 *
 * The simulated history is the same whatever the format, and so are the expected results: every
 * movement here normalizes to the same content as its v2 twin. Two consequences, on purpose:
 * - our anchors of unilateral closes are still sent, as `primary_tag: "anchor"` with
 *   `extra_tags: ["ignored"]` (v2's `["anchor","ignored"]`), although a real newer lightningd no
 *   longer reports anchors at all and would not pair two primary tags;
 * - what newer lightningd adds on its own (fixup moves at first start, `journal_entry` and
 *   `penalty_adj` movements) is not simulated.
 */
export function createNewerFormat(): NotificationFormat {
  // Per node (a format is created once per node): CLN's created_index counters.
  let chainIndex = 0;
  let channelIndex = 0;
  return {
    name: 'newer',
    encode(record: SimRecord): JsonObject {
      switch (record.kind) {
        case 'chain':
          return { coin_movement: chainBody(record, ++chainIndex) };
        case 'channel':
          return { coin_movement: channelBody(record, ++channelIndex) };
        case 'snapshot':
          return { balance_snapshot: snapshotBody(record) };
        case 'utxo_deposit':
          return { utxo_deposit: utxoDepositBody(record) };
        case 'utxo_spend':
          return { utxo_spend: utxoSpendBody(record) };
      }
    },
  };
}

/** The fields every movement starts with, then the ones chain and channel moves share. */
function commonFields(r: ChainRecord | ChannelRecord, type: 'chain_mvt' | 'channel_mvt', createdIndex: number): JsonObject {
  const [primaryTag, ...extraTags] = r.tags;
  if (primaryTag === undefined) throw new Error(`${type} of ${r.account} at ${r.timestamp}: a movement needs a tag`);
  return {
    version: 2,
    coin_type: r.coinType,
    node_id: r.nodeId,
    type,
    created_index: createdIndex,
    account_id: r.account,
    credit_msat: msatJson(r.creditMsat),
    debit_msat: msatJson(r.debitMsat),
    timestamp: r.timestamp,
    primary_tag: primaryTag,
    extra_tags: extraTags,
  };
}

function chainBody(r: ChainRecord, createdIndex: number): JsonObject {
  const body = commonFields(r, 'chain_mvt', createdIndex);
  body['utxo'] = `${r.txid}:${r.vout}`;
  if (r.peerId !== undefined) body['peer_id'] = r.peerId;
  if (r.originAccount !== undefined) body['originating_account'] = r.originAccount;
  if (r.spendingTxid !== undefined) body['spending_txid'] = r.spendingTxid;
  if (r.paymentHash !== undefined) body['payment_hash'] = r.paymentHash;
  body['output_msat'] = msatJson(r.outputMsat);
  if (r.outputCount !== undefined && r.outputCount > 0) body['output_count'] = r.outputCount;
  body['blockheight'] = r.blockheight;
  return body;
}

function channelBody(r: ChannelRecord, createdIndex: number): JsonObject {
  const body = commonFields(r, 'channel_mvt', createdIndex);
  if (r.paymentHash !== undefined) body['payment_hash'] = r.paymentHash;
  if (r.partId !== undefined) {
    body['part_id'] = r.partId;
    body['group_id'] = groupIdOf(r.paymentHash);
  }
  body['fees_msat'] = msatJson(r.feesMsat);
  return body;
}

/**
 * CLN's `group_id` numbers the attempts of one payment; the parts of a payment share it. The
 * bookkeeping never reads it, so it is derived from the payment hash (48 bits, a safe JSON
 * integer) rather than kept in a table that would grow with the history.
 */
function groupIdOf(paymentHash: string | undefined): number {
  return paymentHash === undefined ? 1 : Number.parseInt(paymentHash.slice(0, 12), 16);
}

function utxoDepositBody(r: UtxoDepositRecord): JsonObject {
  const body: JsonObject = { account: r.account };
  if (r.transferFrom !== null) body['transfer_from'] = r.transferFrom;
  Object.assign(body, { outpoint: `${r.txid}:${r.vout}`, amount_msat: msatJson(r.amountMsat), coin_type: r.coinType, timestamp: r.timestamp, blockheight: r.blockheight });
  return body;
}
