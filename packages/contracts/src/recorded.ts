import { z } from 'zod';
import { MOVEMENT_KINDS } from './names.js';

const streamSeq = z.number().int().positive();

/** One movement of an announcement. */
export const recordedMovementSchema = z.object({
  movement_id: z.string(),
  account: z.string(),
  outpoint: z.string().nullable(),
  spending_txid: z.string().nullable(),
  stream_seq: streamSeq,
});

/**
 * Version 1 (ledgers before 2026-11-28): one announcement per stored movement, msg-id =
 * movement id. No longer published; still read, so a stream written by an older ledger
 * drains during an upgrade.
 */
export const recordedEventV1Schema = recordedMovementSchema.extend({
  v: z.literal(1),
  node_id: z.string(),
  kind: z.enum(MOVEMENT_KINDS),
});

/**
 * Version 2: the movements of one node and kind that one ledger transaction stored (or found
 * already stored), in arrival order. `stream_seq` is the last of theirs: every fact up to it
 * is stored once the ledger consumer's ack floor reaches it. Msg-id = a digest of the
 * movement ids, so a repeat of the same announcement is dropped by JetStream; a redelivered
 * batch may group movements differently and announce some again — subscribers stay idempotent.
 */
export const recordedEventV2Schema = z.object({
  v: z.literal(2),
  node_id: z.string(),
  kind: z.enum(MOVEMENT_KINDS),
  stream_seq: streamSeq,
  movements: z.array(recordedMovementSchema).min(1),
});

/** Announced on `<ns>.recorded.<node>.<kind>` once the ledger committed movements. */
export const recordedEventSchema = z.discriminatedUnion('v', [recordedEventV1Schema, recordedEventV2Schema]);
export type RecordedEvent = z.output<typeof recordedEventSchema>;
export type RecordedEventV2 = z.output<typeof recordedEventV2Schema>;
export type RecordedMovement = z.output<typeof recordedMovementSchema>;
