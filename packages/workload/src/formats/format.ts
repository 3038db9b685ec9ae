import type { JsonObject } from '../json.js';
import type { SimRecord } from '../records.js';

/**
 * The notification formats a node can speak:
 * - `v2`: CLN's `coin_movement` format version 2, the bookkeeper of the reference version
 *   (`tags[]`, `utxo_txid` + `vout`, `txid`), 3rd-party notifications in a plugin envelope;
 * - `newer`: CLN v25.09+ (docs/CLN-BKPR-RULES.md §1.2): `created_index`, `primary_tag` +
 *   `extra_tags`, `utxo`, `spending_txid`, `group_id`, bare `utxo_deposit`/`utxo_spend`.
 * A format is created once per node, so it can keep per-node state (the newer format's
 * `created_index` counters). Formats change the bodies only: the history, and so the expected
 * results, are the same whatever the format.
 */
export const FORMAT_NAMES = ['v2', 'newer'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export interface NotificationFormat {
  readonly name: FormatName;
  /** The body exactly as lightningd (or the 3rd-party wallet plugin) sends it, or null to send nothing. */
  encode(record: SimRecord): JsonObject | null;
}

export type FormatFactory = () => NotificationFormat;
