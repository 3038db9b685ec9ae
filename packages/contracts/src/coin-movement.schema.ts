import { z } from 'zod';
import { msatSchema } from './msat.js';
import { nodeIdSchema, outpointSchema, txidSchema } from './hex.js';
import { tagSchema } from './tags.js';
import { accountNameSchema, blockheightSchema, coinTypeSchema, u32Schema, u64Schema, unixSecondsSchema } from './primitives.js';

/**
 * `coin_movement`, in either format CLN emits:
 * - version 2 (the seed's bookkeeper): `tags[]` (first = primary), `utxo_txid` + `vout`, `txid` (spend);
 * - the newer one (v25.09+): `created_index`, `primary_tag` + `extra_tags`, `utxo` ("txid:vout"),
 *   `spending_txid`, `group_id` — and, until v26.09, the deprecated v2 fields beside them.
 * Both come out as one shape (`CoinMovement`); the newer fields win where both are present.
 */
const rawCoinMovementSchema = z.object({
  version: u32Schema,
  node_id: nodeIdSchema,
  type: z.enum(['chain_mvt', 'channel_mvt']),
  created_index: u64Schema.optional(),
  account_id: accountNameSchema,
  originating_account: accountNameSchema.nullish(),
  peer_id: nodeIdSchema.nullish(),
  tags: z.array(tagSchema).optional(),
  primary_tag: tagSchema.optional(),
  extra_tags: z.array(tagSchema).optional(),
  utxo: outpointSchema.optional(),
  utxo_txid: txidSchema.optional(),
  vout: u32Schema.optional(),
  spending_txid: txidSchema.nullish(),
  txid: txidSchema.nullish(),
  payment_hash: txidSchema.nullish(),
  part_id: u64Schema.nullish(),
  group_id: u64Schema.nullish(),
  credit_msat: msatSchema,
  debit_msat: msatSchema,
  output_msat: msatSchema.optional(),
  output_count: u32Schema.nullish(),
  fees_msat: msatSchema.optional(),
  blockheight: blockheightSchema.optional(),
  timestamp: unixSecondsSchema,
  coin_type: coinTypeSchema,
});

export interface CoinMovement {
  readonly format: 'v2' | 'newer';
  readonly nodeId: string;
  readonly type: 'chain_mvt' | 'channel_mvt';
  readonly createdIndex: bigint | null;
  readonly accountId: string;
  readonly originatingAccount: string | null;
  readonly peerId: string | null;
  readonly primaryTag: string;
  readonly extraTags: readonly string[];
  /** Chain movements: the output this movement is about. */
  readonly outpoint: string | null;
  readonly spendingTxid: string | null;
  readonly paymentHash: string | null;
  readonly partId: bigint | null;
  readonly creditMsat: bigint;
  readonly debitMsat: bigint;
  readonly outputMsat: bigint | null;
  readonly outputCount: number | null;
  readonly feesMsat: bigint;
  readonly blockheight: number | null;
  readonly timestamp: number;
  readonly coinType: string;
}

export const coinMovementSchema = rawCoinMovementSchema
  .superRefine((m, ctx) => {
    const tagged = m.primary_tag !== undefined || (m.tags !== undefined && m.tags.length > 0);
    if (!tagged) ctx.addIssue({ code: 'custom', path: ['primary_tag'], message: 'expected primary_tag or a non-empty tags array' });
    if (m.type !== 'chain_mvt') return;
    if (m.utxo === undefined && (m.utxo_txid === undefined || m.vout === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['utxo'], message: 'a chain_mvt needs utxo ("txid:vout") or utxo_txid and vout' });
    }
    if (m.output_msat === undefined) ctx.addIssue({ code: 'custom', path: ['output_msat'], message: 'a chain_mvt needs output_msat' });
    if (m.blockheight === undefined) ctx.addIssue({ code: 'custom', path: ['blockheight'], message: 'a chain_mvt needs blockheight (0 or null if unconfirmed)' });
  })
  .transform((m): CoinMovement => {
    const newer = m.primary_tag !== undefined || m.created_index !== undefined || m.utxo !== undefined;
    const [firstTag, ...restTags] = m.tags ?? [];
    const chain = m.type === 'chain_mvt';
    return {
      format: newer ? 'newer' : 'v2',
      nodeId: m.node_id,
      type: m.type,
      createdIndex: m.created_index ?? null,
      accountId: m.account_id,
      originatingAccount: m.originating_account ?? null,
      peerId: m.peer_id ?? null,
      primaryTag: m.primary_tag ?? firstTag!,
      extraTags: m.primary_tag !== undefined ? (m.extra_tags ?? []) : restTags,
      outpoint: chain ? (m.utxo ?? `${m.utxo_txid}:${m.vout}`) : null,
      spendingTxid: chain ? (m.spending_txid ?? m.txid ?? null) : null,
      paymentHash: m.payment_hash ?? null,
      partId: m.part_id ?? null,
      creditMsat: m.credit_msat,
      debitMsat: m.debit_msat,
      outputMsat: chain ? (m.output_msat ?? null) : null,
      outputCount: m.output_count ?? null,
      feesMsat: m.fees_msat ?? 0n,
      blockheight: chain ? (m.blockheight ?? null) : null,
      timestamp: m.timestamp,
      coinType: m.coin_type,
    };
  });

export type CoinMovementInput = z.input<typeof rawCoinMovementSchema>;
