import type { MovementKind } from './names.js';
import type { Movement } from './movement.js';
import { DECIMAL_U64_PATTERN } from './primitives.js';
import { isInteger, isObject, isTextOrNull, MOVEMENT_KIND_SET } from './wire-checks.js';

const isText = (v: unknown, min: number, max: number): v is string => typeof v === 'string' && v.length >= min && v.length <= max;
const isMsat = (v: unknown): v is string => typeof v === 'string' && DECIMAL_U64_PATTERN.test(v);
const isMsatOrNull = (v: unknown): v is string | null => v === null || isMsat(v);
const msatOrNull = (v: string | null): bigint | null => (v === null ? null : BigInt(v));

function isTextList(v: unknown): v is string[] {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false;
  return true;
}

/**
 * The ledger's fast path through `movementWireSchema` (contracts): a wire movement as that
 * schema would decode it when every field is certainly valid, else undefined — the schema
 * then decides and names the problem. Plain checks and one object instead of zod's parse,
 * copy and transform (≈ 6 % of the ledger's CPU). Never accepts what the schema rejects;
 * apps/ledger's `movement-wire.spec.ts` holds it to that.
 */
export function movementFromWire(json: unknown): Movement | undefined {
  if (!isObject(json)) return undefined;
  const w = json;
  const { id, node_id, kind, account, primary_tag, extra_tags, credit_msat, debit_msat, output_msat, fees_msat, part_id, balance_msat } = w;
  if (
    w['v'] !== 1 ||
    !isText(id, 1, 200) ||
    !isText(node_id, 1, 100) ||
    !MOVEMENT_KIND_SET.has(kind) ||
    !isText(account, 1, 200) ||
    !isText(primary_tag, 1, Number.POSITIVE_INFINITY) ||
    !isTextList(extra_tags) ||
    !isMsat(credit_msat) ||
    !isMsat(debit_msat) ||
    !isMsatOrNull(output_msat) ||
    !isMsat(fees_msat) ||
    !isTextOrNull(w['outpoint']) ||
    !isTextOrNull(w['spending_txid']) ||
    !isTextOrNull(w['payment_id']) ||
    !isMsatOrNull(part_id) ||
    !(w['blockheight'] === null || isInteger(w['blockheight'])) ||
    !isInteger(w['timestamp']) ||
    typeof w['coin_type'] !== 'string' ||
    !isTextOrNull(w['origin_account']) ||
    !isTextOrNull(w['peer_id']) ||
    !(w['output_count'] === null || isInteger(w['output_count'])) ||
    !isTextOrNull(w['description']) ||
    !isMsatOrNull(balance_msat)
  ) {
    return undefined;
  }
  return {
    id,
    nodeId: node_id,
    kind: kind as MovementKind,
    account,
    primaryTag: primary_tag,
    extraTags: extra_tags,
    creditMsat: BigInt(credit_msat),
    debitMsat: BigInt(debit_msat),
    outputMsat: msatOrNull(output_msat),
    feesMsat: BigInt(fees_msat),
    outpoint: w['outpoint'] as string | null,
    spendingTxid: w['spending_txid'] as string | null,
    paymentId: w['payment_id'] as string | null,
    partId: msatOrNull(part_id),
    blockheight: w['blockheight'] as number | null,
    timestamp: w['timestamp'] as number,
    coinType: w['coin_type'] as string,
    originAccount: w['origin_account'] as string | null,
    peerId: w['peer_id'] as string | null,
    outputCount: w['output_count'] as number | null,
    description: w['description'] as string | null,
    balanceMsat: msatOrNull(balance_msat),
  };
}
