import { z } from 'zod';
import { msatSchema } from './msat.js';
import { nodeIdSchema, txidSchema } from './hex.js';

const accountName = z.string().min(1, 'must not be empty').max(200);
const coinType = z.string().regex(/^[a-z]{1,8}$/, 'expected a bech32 hrp like "bc", "tb" or "bcrt"');
const unixSeconds = z.number().int().nonnegative().max(2 ** 40);
const tags = z.array(z.string().regex(/^[a-z_]{1,40}$/, 'expected a lower-case tag')).min(1, 'at least one tag');

/**
 * `coin_movement` notification, format version 2 (what CLN's bookkeeper of the seed's
 * version consumes): a chain movement (`chain_mvt`, one bitcoin output) or a channel
 * movement (`channel_mvt`, an HTLC or channel-level change).
 */
export const chainMovementV2Schema = z.object({
  version: z.literal(2),
  node_id: nodeIdSchema,
  type: z.literal('chain_mvt'),
  account_id: accountName,
  originating_account: accountName.nullish(),
  peer_id: nodeIdSchema.nullish(),
  txid: txidSchema.nullish(),
  utxo_txid: txidSchema,
  vout: z.number().int().nonnegative().max(2 ** 32 - 1),
  payment_hash: txidSchema.nullish(),
  credit_msat: msatSchema,
  debit_msat: msatSchema,
  output_msat: msatSchema,
  output_count: z.number().int().nonnegative().max(2 ** 32 - 1).nullish(),
  fees_msat: msatSchema.optional(),
  tags,
  blockheight: z.number().int().nonnegative().nullish(),
  timestamp: unixSeconds,
  coin_type: coinType,
});

export const channelMovementV2Schema = z.object({
  version: z.literal(2),
  node_id: nodeIdSchema,
  type: z.literal('channel_mvt'),
  account_id: accountName,
  payment_hash: txidSchema.nullish(),
  part_id: z.number().int().nonnegative().max(2 ** 53 - 1).nullish(),
  credit_msat: msatSchema,
  debit_msat: msatSchema,
  fees_msat: msatSchema.optional(),
  tags,
  timestamp: unixSeconds,
  coin_type: coinType,
});

export const coinMovementV2Schema = z.discriminatedUnion('type', [chainMovementV2Schema, channelMovementV2Schema]);

export type ChainMovementV2 = z.output<typeof chainMovementV2Schema>;
export type ChannelMovementV2 = z.output<typeof channelMovementV2Schema>;
export type CoinMovementV2 = z.output<typeof coinMovementV2Schema>;
