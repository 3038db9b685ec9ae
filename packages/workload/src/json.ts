/** Plain JSON values: what a notification body is made of (no bigint: see `msatJson`). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * An msat amount as CLN writes it: a JSON number. Above 2^53 − 1 a JSON number would lose
 * precision in most readers, so it is written as the string `"<n>msat"`, which CLN's and our
 * parsers both accept.
 */
export function msatJson(msat: bigint): number | string {
  if (msat < 0n) throw new Error(`negative amount ${msat}msat`);
  return msat <= MAX_SAFE ? Number(msat) : `${msat}msat`;
}
