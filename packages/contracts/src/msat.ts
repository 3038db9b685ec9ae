import { z } from 'zod';
import { DECIMAL_U64_PATTERN } from './primitives.js';

/** Largest amount a CLN msat field can carry (u64). */
export const MAX_MSAT = (1n << 64n) - 1n;

const MSAT_PER_SAT = 1000n;
const MSAT_PER_BTC = 100_000_000_000n;

export type MsatParseResult = { ok: true; msat: bigint } | { ok: false; reason: string };

/**
 * Reads an amount the way CLN writes them: an integer (msat), "123msat", "10000sat" or
 * "0.001btc". Sub-msat precision and values outside u64 are rejected, never rounded.
 */
export function parseMsat(input: unknown): MsatParseResult {
  if (typeof input === 'bigint') return checkRange(input);
  if (typeof input === 'number') {
    if (!Number.isSafeInteger(input)) return { ok: false, reason: 'expected an integer number of msat' };
    return checkRange(BigInt(input));
  }
  if (typeof input !== 'string') return { ok: false, reason: 'expected an amount (integer msat or "<n>msat", "<n>sat", "<n>btc")' };
  const text = input.trim();
  let match = /^(\d{1,20})(msat)?$/.exec(text);
  if (match) return checkRange(BigInt(match[1]!));
  match = /^(\d{1,17})sat$/.exec(text);
  if (match) return checkRange(BigInt(match[1]!) * MSAT_PER_SAT);
  match = /^(\d{1,9})(?:\.(\d{1,11}))?btc$/.exec(text);
  if (match) {
    const fraction = (match[2] ?? '').padEnd(11, '0');
    return checkRange(BigInt(match[1]!) * MSAT_PER_BTC + BigInt(fraction));
  }
  return { ok: false, reason: `"${truncate(text)}" is not an amount (integer msat or "<n>msat", "<n>sat", "<n>btc")` };
}

function checkRange(msat: bigint): MsatParseResult {
  if (msat < 0n) return { ok: false, reason: 'amount must not be negative' };
  if (msat > MAX_MSAT) return { ok: false, reason: 'amount exceeds 2^64-1 msat' };
  return { ok: true, msat };
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A zod schema for any accepted amount notation; the output is bigint msat. */
export const msatSchema = z
  .unknown()
  .meta({ description: 'millisatoshis: an integer, or "123msat", "10000sat", "0.001btc"', examples: [2000000000, '2000000sat'] })
  .transform((value, ctx): bigint => {
    const parsed = parseMsat(value);
    if (parsed.ok) return parsed.msat;
    ctx.addIssue({ code: 'custom', message: parsed.reason });
    return z.NEVER;
  });

/** Wire form of an msat amount on our own bus: a decimal string, exact at any size. */
export const msatStringSchema = z
  .string()
  .regex(DECIMAL_U64_PATTERN, 'expected a decimal msat string')
  .transform((text) => BigInt(text));

export function msatToString(msat: bigint): string {
  return msat.toString(10);
}
