import type { ChainFact, ChannelFact } from './facts.js';

// Builders for the domain's tests: a fact with CLN's usual defaults and the fields a case sets.
export const tx = (c: string): string => c.repeat(64).slice(0, 64);

let seq = 0n;

export const chainFact = (f: Partial<ChainFact> & Pick<ChainFact, 'account' | 'tag' | 'outpoint'>): ChainFact => ({
  type: 'chain', seq: seq++, extraTags: [], creditMsat: 0n, debitMsat: 0n, outputMsat: 0n, spendingTxid: null, paymentId: null,
  blockheight: 101, timestamp: 1_000, coinType: 'bcrt', originAccount: null, peerId: null, outputCount: null, description: null,
  source: 'coin_movement', ...f,
});

export const channelFact = (f: Partial<ChannelFact> & Pick<ChannelFact, 'account' | 'tag'>): ChannelFact => ({
  type: 'channel', seq: seq++, extraTags: [], creditMsat: 0n, debitMsat: 0n, feesMsat: 0n, paymentId: null, partId: null,
  timestamp: 1_000, coinType: 'bcrt', description: null, ...f,
});

export const nextSeq = (): bigint => seq++;
