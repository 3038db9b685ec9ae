import { z } from 'zod';
import { MOVEMENT_KINDS } from './names.js';

/**
 * Announced on `<ns>.recorded.<node>.<kind>` once the ledger committed a movement (or
 * found it already stored). May be announced more than once; subscribers stay idempotent.
 * `stream_seq` is the movement's place in arrival order (its sequence in the movements
 * stream): every fact up to it is stored once the ledger consumer's ack floor reaches it.
 */
export const recordedEventSchema = z.object({
  v: z.literal(1),
  movement_id: z.string(),
  node_id: z.string(),
  kind: z.enum(MOVEMENT_KINDS),
  account: z.string(),
  outpoint: z.string().nullable(),
  spending_txid: z.string().nullable(),
  stream_seq: z.number().int().positive(),
});
export type RecordedEvent = z.output<typeof recordedEventSchema>;
