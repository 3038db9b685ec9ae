import { z } from 'zod';
import { MOVEMENT_KINDS } from './names.js';

/**
 * Announced on `<ns>.recorded.<node>.<kind>` once the ledger committed a movement (or
 * found it already stored). May be announced more than once; subscribers stay idempotent.
 */
export const recordedEventSchema = z.object({
  v: z.literal(1),
  movement_id: z.string(),
  node_id: z.string(),
  kind: z.enum(MOVEMENT_KINDS),
  account: z.string(),
  outpoint: z.string().nullable(),
  spending_txid: z.string().nullable(),
});
export type RecordedEvent = z.output<typeof recordedEventSchema>;
