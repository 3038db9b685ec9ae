import type { JsonObject } from '../json.js';
import type { SimRecord } from '../records.js';

/**
 * The notification formats a node can speak. Only CLN's `coin_movement` format version 2 (the
 * bookkeeper of the reference version) exists today.
 *
 * Extension point for the newer format (v25.09+, see docs/CLN-BKPR-RULES.md §1.2): add its name
 * here and a factory in `FORMATS` (formats/index.ts). A format is created once per node, so it can
 * keep per-node state such as the newer format's `created_index` counters (chain and channel moves
 * are counted separately), and it decides the whole body, including whether `balance_snapshot` is
 * still sent (the newer bookkeeper no longer subscribes to it) and whether anchors are emitted.
 */
export const FORMAT_NAMES = ['v2'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export interface NotificationFormat {
  readonly name: FormatName;
  /** The body exactly as lightningd (or the 3rd-party wallet plugin) sends it, or null to send nothing. */
  encode(record: SimRecord): JsonObject | null;
}

export type FormatFactory = () => NotificationFormat;
