import { z } from 'zod';
import { DERIVED_KINDS } from './names.js';

/** An account of the organization: the node (or 3rd-party feed) it belongs to, and its name. */
const orgAccount = z.object({ node_id: z.string(), account: z.string() });

/**
 * Announced on `<ns>.derived.<node>.<kind>` when the reconciler derives a new figure from the
 * facts. Versioned (`v`); amounts as decimal msat strings. Announced once per figure.
 */
export const derivedEventSchema = z.discriminatedUnion('kind', [
  z.object({
    v: z.literal(1), kind: z.literal('onchain_fee'), node_id: z.string(), account: z.string(), txid: z.string(), update_count: z.number().int(),
    credit_msat: z.string(), debit_msat: z.string(), currency: z.string(), timestamp: z.number().int(),
  }),
  z.object({
    v: z.literal(1), kind: z.literal('external_finalized'), node_id: z.string(), outpoint: z.string(), origin_account: z.string().nullable(),
    amount_msat: z.string(), blockheight: z.number().int(),
  }),
  z.object({ v: z.literal(1), kind: z.literal('channel_resolved'), node_id: z.string(), account: z.string(), resolved_at_block: z.number().int() }),
  z.object({ v: z.literal(1), kind: z.literal('problem'), node_id: z.string(), code: z.string(), account: z.string(), message: z.string() }),
  // Coins moved between two accounts we track (nodes' or 3rd-party wallets): not income, not
  // a withdrawal; only the transaction's fee is an expense. Announced under the sending node.
  z.object({
    v: z.literal(1), kind: z.literal('internal_transfer'), node_id: z.string(), outpoint: z.string(), txid: z.string(),
    amount_msat: z.string(), currency: z.string(), from: orgAccount, to: orgAccount, blockheight: z.number().int(), timestamp: z.number().int(),
  }),
]);
export type DerivedEvent = z.output<typeof derivedEventSchema>;
export { DERIVED_KINDS };
