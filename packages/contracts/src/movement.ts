import { z } from 'zod';
import { MOVEMENT_KINDS, type MovementKind } from './names.js';
import { msatStringSchema, msatToString } from './msat.js';

/**
 * The one shape every notification is normalized into before it goes on the bus.
 * Amounts are exact bigint millisatoshis.
 */
export interface Movement {
  /** `node_id:created_index` when CLN gives one, else SHA-256 of the canonical content. */
  readonly id: string;
  readonly nodeId: string;
  readonly kind: MovementKind;
  readonly account: string;
  readonly primaryTag: string;
  readonly extraTags: readonly string[];
  readonly creditMsat: bigint;
  readonly debitMsat: bigint;
  readonly outputMsat: bigint | null;
  readonly feesMsat: bigint;
  /** `<txid>:<vout>` of the output this chain movement is about. */
  readonly outpoint: string | null;
  /** The txid that spends `outpoint`, when this movement records a spend. */
  readonly spendingTxid: string | null;
  readonly paymentId: string | null;
  readonly partId: bigint | null;
  /** 0 or null: not confirmed yet. */
  readonly blockheight: number | null;
  readonly timestamp: number;
  readonly coinType: string;
  /** `originating_account` / `transfer_from`. */
  readonly originAccount: string | null;
  readonly peerId: string | null;
  readonly outputCount: number | null;
  readonly description: string | null;
  /** Snapshot movements: the balance the node reports for the account. */
  readonly balanceMsat: bigint | null;
}

/** The movement as JSON on `<ns>.movement.<node>.<kind>`: snake_case, msat as decimal strings. */
export const movementWireSchema = z
  .object({
    v: z.literal(1),
    id: z.string().min(1).max(200),
    node_id: z.string().min(1).max(100),
    kind: z.enum(MOVEMENT_KINDS),
    account: z.string().min(1).max(200),
    primary_tag: z.string().min(1),
    extra_tags: z.array(z.string()),
    credit_msat: msatStringSchema,
    debit_msat: msatStringSchema,
    output_msat: msatStringSchema.nullable(),
    fees_msat: msatStringSchema,
    outpoint: z.string().nullable(),
    spending_txid: z.string().nullable(),
    payment_id: z.string().nullable(),
    part_id: msatStringSchema.nullable(),
    blockheight: z.number().int().nullable(),
    timestamp: z.number().int(),
    coin_type: z.string(),
    origin_account: z.string().nullable(),
    peer_id: z.string().nullable(),
    output_count: z.number().int().nullable(),
    description: z.string().nullable(),
    balance_msat: msatStringSchema.nullable(),
  })
  .transform(
    (w): Movement => ({
      id: w.id,
      nodeId: w.node_id,
      kind: w.kind,
      account: w.account,
      primaryTag: w.primary_tag,
      extraTags: w.extra_tags,
      creditMsat: w.credit_msat,
      debitMsat: w.debit_msat,
      outputMsat: w.output_msat,
      feesMsat: w.fees_msat,
      outpoint: w.outpoint,
      spendingTxid: w.spending_txid,
      paymentId: w.payment_id,
      partId: w.part_id,
      blockheight: w.blockheight,
      timestamp: w.timestamp,
      coinType: w.coin_type,
      originAccount: w.origin_account,
      peerId: w.peer_id,
      outputCount: w.output_count,
      description: w.description,
      balanceMsat: w.balance_msat,
    }),
  );

export type MovementWire = z.input<typeof movementWireSchema>;

/** The wire form; a movement whose id is not known yet gets `id: ""` (how its id is hashed). */
export function movementToWire(m: Omit<Movement, 'id'> & { readonly id?: string }): MovementWire {
  return {
    v: 1,
    id: m.id ?? '',
    node_id: m.nodeId,
    kind: m.kind,
    account: m.account,
    primary_tag: m.primaryTag,
    extra_tags: [...m.extraTags],
    credit_msat: msatToString(m.creditMsat),
    debit_msat: msatToString(m.debitMsat),
    output_msat: m.outputMsat === null ? null : msatToString(m.outputMsat),
    fees_msat: msatToString(m.feesMsat),
    outpoint: m.outpoint,
    spending_txid: m.spendingTxid,
    payment_id: m.paymentId,
    part_id: m.partId === null ? null : m.partId.toString(10),
    blockheight: m.blockheight,
    timestamp: m.timestamp,
    coin_type: m.coinType,
    origin_account: m.originAccount,
    peer_id: m.peerId,
    output_count: m.outputCount,
    description: m.description,
    balance_msat: m.balanceMsat === null ? null : msatToString(m.balanceMsat),
  };
}
