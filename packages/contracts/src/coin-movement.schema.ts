import { z } from 'zod';
import { msatSchema, parseMsat } from './msat.js';
import { NODE_ID_PATTERN, nodeIdSchema, OUTPOINT_PATTERN, outpointSchema, TXID_PATTERN, txidSchema } from './hex.js';
import { TAG_PATTERN, tagSchema } from './tags.js';
import { accountNameSchema, blockheightSchema, COIN_TYPE_PATTERN, coinTypeSchema, DECIMAL_U64_PATTERN, u32Schema, u64Schema, unixSecondsSchema } from './primitives.js';

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

/** What `fastCoinMovement` returns when it cannot vouch for a value: zod then decides, and says why. */
const NOT_SURE = Symbol('not sure');
type NotSure = typeof NOT_SURE;

const U64_END = 1n << 64n;

const isU32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xffff_ffff;
const isAccount = (v: unknown): v is string => typeof v === 'string' && v.length >= 1 && v.length <= 200;
const isTag = (v: unknown): v is string => typeof v === 'string' && TAG_PATTERN.test(v);
const isTags = (v: unknown): v is string[] => Array.isArray(v) && v.every(isTag);

function hexOf(v: unknown, pattern: RegExp): string | NotSure {
  return typeof v === 'string' && pattern.test(v) ? v.toLowerCase() : NOT_SURE;
}

/** undefined and null: null; else `check`'s answer. */
function nullish<T>(v: unknown, check: (v: unknown) => T | NotSure): T | null | NotSure {
  return v === undefined || v === null ? null : check(v);
}

function u64Of(v: unknown): bigint | NotSure {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 && v <= Number.MAX_SAFE_INTEGER ? BigInt(v) : NOT_SURE;
  if (typeof v !== 'string' || !DECIMAL_U64_PATTERN.test(v)) return NOT_SURE;
  const n = BigInt(v);
  return n < U64_END ? n : NOT_SURE;
}

function msatOf(v: unknown): bigint | NotSure {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? BigInt(v) : NOT_SURE;
  if (typeof v !== 'string') return NOT_SURE;
  const parsed = parseMsat(v);
  return parsed.ok ? parsed.msat : NOT_SURE;
}

const txidOf = (v: unknown) => hexOf(v, TXID_PATTERN);
const nodeIdOf = (v: unknown) => hexOf(v, NODE_ID_PATTERN);

/**
 * `coinMovementSchema`'s answer for the valid case, without zod (its object parse is ≈ 10 µs a
 * movement, most of the gateway's validation): the same checks written out, the same output.
 * `undefined` when any field is not plainly valid — missing where required, of another type,
 * out of range — and then zod parses it again, to accept it or to say what is wrong and where.
 * So this may be stricter than the schema, never looser (a property test compares the two).
 */
export function fastCoinMovement(input: unknown): CoinMovement | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const m = input as Record<string, unknown>;
  const type = m['type'];
  if (!isU32(m['version']) || (type !== 'chain_mvt' && type !== 'channel_mvt')) return undefined;
  const nodeId = nodeIdOf(m['node_id']);
  const accountId = m['account_id'];
  const timestamp = m['timestamp'];
  const coinType = m['coin_type'];
  if (nodeId === NOT_SURE || !isAccount(accountId) || typeof coinType !== 'string' || !COIN_TYPE_PATTERN.test(coinType)) return undefined;
  if (typeof timestamp !== 'number' || !Number.isInteger(timestamp) || timestamp < 0 || timestamp > 2 ** 40) return undefined;
  const creditMsat = msatOf(m['credit_msat']);
  const debitMsat = msatOf(m['debit_msat']);
  if (creditMsat === NOT_SURE || debitMsat === NOT_SURE) return undefined;

  const createdIndexRaw = m['created_index'];
  const createdIndex = createdIndexRaw === undefined ? null : u64Of(createdIndexRaw);
  const originatingAccount = nullish(m['originating_account'], (v) => (isAccount(v) ? v : NOT_SURE));
  const peerId = nullish(m['peer_id'], nodeIdOf);
  const paymentHash = nullish(m['payment_hash'], txidOf);
  const partId = nullish(m['part_id'], u64Of);
  const groupId = nullish(m['group_id'], u64Of);
  const outputCount = nullish(m['output_count'], (v) => (isU32(v) ? v : NOT_SURE));
  if (
    createdIndex === NOT_SURE || originatingAccount === NOT_SURE || peerId === NOT_SURE || paymentHash === NOT_SURE ||
    partId === NOT_SURE || groupId === NOT_SURE || outputCount === NOT_SURE
  ) {
    return undefined;
  }

  const { tags, primary_tag: primaryTag, extra_tags: extraTags } = m;
  if ((tags !== undefined && !isTags(tags)) || (primaryTag !== undefined && !isTag(primaryTag)) || (extraTags !== undefined && !isTags(extraTags))) return undefined;
  if (primaryTag === undefined && (tags === undefined || tags.length === 0)) return undefined;

  const utxoRaw = m['utxo'];
  const utxoTxidRaw = m['utxo_txid'];
  const vout = m['vout'];
  const utxo = utxoRaw === undefined ? undefined : hexOf(utxoRaw, OUTPOINT_PATTERN);
  const utxoTxid = utxoTxidRaw === undefined ? undefined : txidOf(utxoTxidRaw);
  if (utxo === NOT_SURE || utxoTxid === NOT_SURE || (vout !== undefined && !isU32(vout))) return undefined;
  const spendingTxid = nullish(m['spending_txid'], txidOf);
  const txid = nullish(m['txid'], txidOf);
  const outputRaw = m['output_msat'];
  const feesRaw = m['fees_msat'];
  const outputMsat = outputRaw === undefined ? null : msatOf(outputRaw);
  const feesMsat = feesRaw === undefined ? 0n : msatOf(feesRaw);
  const blockheightRaw = m['blockheight'];
  if (spendingTxid === NOT_SURE || txid === NOT_SURE || outputMsat === NOT_SURE || feesMsat === NOT_SURE) return undefined;
  if (blockheightRaw !== undefined && blockheightRaw !== null && !isU32(blockheightRaw)) return undefined;

  const chain = type === 'chain_mvt';
  if (chain && ((utxo === undefined && (utxoTxid === undefined || vout === undefined)) || outputRaw === undefined || blockheightRaw === undefined)) return undefined;

  return {
    format: primaryTag !== undefined || createdIndexRaw !== undefined || utxo !== undefined ? 'newer' : 'v2',
    nodeId,
    type,
    createdIndex,
    accountId,
    originatingAccount,
    peerId,
    primaryTag: primaryTag ?? tags![0]!,
    extraTags: primaryTag !== undefined ? (extraTags?.slice() ?? []) : tags!.slice(1),
    outpoint: chain ? (utxo ?? `${utxoTxid}:${vout}`) : null,
    spendingTxid: chain ? (spendingTxid ?? txid) : null,
    paymentHash,
    partId,
    creditMsat,
    debitMsat,
    outputMsat: chain ? outputMsat : null,
    outputCount,
    feesMsat,
    blockheight: chain ? ((blockheightRaw as number | null) ?? null) : null,
    timestamp,
    coinType,
  };
}
