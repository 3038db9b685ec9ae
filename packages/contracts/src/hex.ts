import { z } from 'zod';

export const txidSchema = z.string().regex(/^[0-9a-fA-F]{64}$/, 'expected 64 hex chars').transform((s) => s.toLowerCase());
export const nodeIdSchema = z.string().regex(/^0[23][0-9a-fA-F]{64}$/, 'expected a 66 hex char node id').transform((s) => s.toLowerCase());
export const outpointSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}:\d{1,10}$/, 'expected "<64 hex txid>:<vout>"')
  .transform((s) => s.toLowerCase());

/** `<txid>:<vout>` split into its parts. */
export const outpointPartsSchema = outpointSchema.transform((s) => {
  const [txid, vout] = s.split(':') as [string, string];
  return { txid, vout: Number(vout) };
});
