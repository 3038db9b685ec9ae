import { z } from 'zod';

/** The patterns behind the schemas below (also `fastCoinMovement`'s: one definition, so the two cannot drift). */
export const TXID_PATTERN = /^[0-9a-fA-F]{64}$/;
export const NODE_ID_PATTERN = /^0[23][0-9a-fA-F]{64}$/;
export const OUTPOINT_PATTERN = /^[0-9a-fA-F]{64}:\d{1,10}$/;

export const txidSchema = z.string().regex(TXID_PATTERN, 'expected 64 hex chars').transform((s) => s.toLowerCase());
export const nodeIdSchema = z.string().regex(NODE_ID_PATTERN, 'expected a 66 hex char node id').transform((s) => s.toLowerCase());
export const outpointSchema = z
  .string()
  .regex(OUTPOINT_PATTERN, 'expected "<64 hex txid>:<vout>"')
  .transform((s) => s.toLowerCase());

/** `<txid>:<vout>` split into its parts. */
export const outpointPartsSchema = outpointSchema.transform((s) => {
  const [txid, vout] = s.split(':') as [string, string];
  return { txid, vout: Number(vout) };
});
