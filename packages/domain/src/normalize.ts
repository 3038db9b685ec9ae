import type { ChainMovementV2, ChannelMovementV2, CoinMovementV2, Movement, NotificationBody } from '@bkpr/contracts';
import { contentMovementId } from './movement-id.js';

/** Turns one validated notification into the movements it stands for. */
export function normalizeNotification(body: NotificationBody): Movement[] {
  return [normalizeCoinMovement(body.coin_movement)];
}

export function normalizeCoinMovement(mvt: CoinMovementV2): Movement {
  const content = mvt.type === 'chain_mvt' ? chainContent(mvt) : channelContent(mvt);
  return { id: contentMovementId(content), ...content };
}

function chainContent(mvt: ChainMovementV2): Omit<Movement, 'id'> {
  const [primaryTag, ...extraTags] = mvt.tags;
  return {
    nodeId: mvt.node_id,
    kind: 'chain',
    account: mvt.account_id,
    primaryTag: primaryTag!,
    extraTags,
    creditMsat: mvt.credit_msat,
    debitMsat: mvt.debit_msat,
    outputMsat: mvt.output_msat,
    feesMsat: mvt.fees_msat ?? 0n,
    outpoint: `${mvt.utxo_txid}:${mvt.vout}`,
    spendingTxid: mvt.txid ?? null,
    paymentId: mvt.payment_hash ?? null,
    partId: null,
    blockheight: mvt.blockheight ?? null,
    timestamp: mvt.timestamp,
    coinType: mvt.coin_type,
    originAccount: mvt.originating_account ?? null,
    peerId: mvt.peer_id ?? null,
    outputCount: mvt.output_count ?? null,
    description: null,
  };
}

function channelContent(mvt: ChannelMovementV2): Omit<Movement, 'id'> {
  const [primaryTag, ...extraTags] = mvt.tags;
  return {
    nodeId: mvt.node_id,
    kind: 'channel',
    account: mvt.account_id,
    primaryTag: primaryTag!,
    extraTags,
    creditMsat: mvt.credit_msat,
    debitMsat: mvt.debit_msat,
    outputMsat: null,
    feesMsat: mvt.fees_msat ?? 0n,
    outpoint: null,
    spendingTxid: null,
    paymentId: mvt.payment_hash ?? null,
    partId: mvt.part_id ?? null,
    blockheight: null,
    timestamp: mvt.timestamp,
    coinType: mvt.coin_type,
    originAccount: null,
    peerId: null,
    outputCount: null,
    description: null,
  };
}
