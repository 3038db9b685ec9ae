import { z } from 'zod';

export const accountNameSchema = z.string().min(1, 'must not be empty').max(200, 'at most 200 chars');
export const COIN_TYPE_PATTERN = /^[a-z]{1,8}$/;
export const coinTypeSchema = z.string().regex(COIN_TYPE_PATTERN, 'expected a bech32 hrp like "bc", "tb" or "bcrt"');
/** Seconds since the epoch. */
export const unixSecondsSchema = z.number().int('expected an integer').nonnegative().max(2 ** 40);
export const u32Schema = z.number().int('expected an integer').nonnegative().max(2 ** 32 - 1);
/** Up to 20 decimal digits: a u64 or an msat amount as text (range checked apart). */
export const DECIMAL_U64_PATTERN = /^\d{1,20}$/;
/** A u64 index as CLN sends it: a JSON integer (or its decimal string), kept as bigint. */
export const u64Schema = z
  .union([z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), z.string().regex(DECIMAL_U64_PATTERN)])
  .transform((v) => BigInt(v))
  .refine((v) => v < 1n << 64n, 'exceeds 2^64-1');
/** 0 or null: not confirmed yet. */
export const blockheightSchema = u32Schema.nullable();
/**
 * Where a 3rd-party wallet feed's movements come from when it is not a node: a short name
 * usable as a subject token.
 */
export const sourceNameSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a node id (66 hex) or a source name ([a-z0-9_-], max 64)');
