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
        seq,
        account: m.account,
        tag: m.primaryTag,
        extraTags: m.extraTags,
        creditMsat: m.creditMsat,
        debitMsat: m.debitMsat,
        outputMsat: m.outputMsat ?? 0n,
        outpoint: m.outpoint ?? '',
        spendingTxid: m.spendingTxid,
        paymentId: m.paymentId,
        blockheight: m.blockheight ?? 0,
        timestamp: m.timestamp,
        coinType: m.coinType,
        originAccount: m.originAccount,
        peerId: m.peerId,
        outputCount: m.outputCount,
        description: m.description,
        source: m.kind === 'chain' ? 'coin_movement' : 'utxo',
      };
    case 'channel':
      return {
        type: 'channel',
        seq,
        account: m.account,
        tag: m.primaryTag,
        extraTags: m.extraTags,
        creditMsat: m.creditMsat,
        debitMsat: m.debitMsat,
        feesMsat: m.feesMsat,
        paymentId: m.paymentId,
        partId: m.partId,
        timestamp: m.timestamp,
        coinType: m.coinType,
        description: m.description,
      };
    case 'snapshot':
      return { type: 'snapshot', seq, account: m.account, balanceMsat: m.balanceMsat ?? 0n, coinType: m.coinType, blockheight: m.blockheight, timestamp: m.timestamp };
    case 'description': {
      const by = m.account === 'outpoint' ? 'outpoint' : 'payment_id';
      return { type: 'description', seq, by, key: (by === 'outpoint' ? m.outpoint : m.paymentId) ?? '', description: m.description ?? '' };
    }
  }
}
