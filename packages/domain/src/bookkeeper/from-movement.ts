import type { Movement } from '@bkpr/contracts';
import type { Fact } from './facts.js';

/** A stored movement as a bookkeeping fact; `seq` is its place in arrival order. */
export function factFromMovement(m: Movement, seq: bigint): Fact {
  switch (m.kind) {
    case 'chain':
    case 'utxo_deposit':
    case 'utxo_spend':
      return {
        type: 'chain',
        ...accountMovement(m, seq),
        outputMsat: m.outputMsat ?? 0n,
        outpoint: m.outpoint ?? '',
        spendingTxid: m.spendingTxid,
        blockheight: m.blockheight ?? 0,
        originAccount: m.originAccount,
        peerId: m.peerId,
        outputCount: m.outputCount,
        source: m.kind === 'chain' ? 'coin_movement' : 'utxo',
      };
    case 'channel':
      return { type: 'channel', ...accountMovement(m, seq), feesMsat: m.feesMsat, partId: m.partId };
    case 'snapshot':
      return { type: 'snapshot', seq, account: m.account, balanceMsat: m.balanceMsat ?? 0n, coinType: m.coinType, blockheight: m.blockheight, timestamp: m.timestamp };
    case 'description': {
      const by = m.account === 'outpoint' ? 'outpoint' : 'payment_id';
      return { type: 'description', seq, by, key: (by === 'outpoint' ? m.outpoint : m.paymentId) ?? '', description: m.description ?? '' };
    }
  }
}

/** The fields chain and channel facts share. */
function accountMovement(m: Movement, seq: bigint) {
  return {
    seq,
    account: m.account,
    tag: m.primaryTag,
    extraTags: m.extraTags,
    creditMsat: m.creditMsat,
    debitMsat: m.debitMsat,
    paymentId: m.paymentId,
    timestamp: m.timestamp,
    coinType: m.coinType,
    description: m.description,
  };
}
