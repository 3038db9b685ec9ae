import { z } from 'zod';

/** Movement tags CLN emits (v2 `tags[]`, and newer `primary_tag` / `extra_tags`). */
export const KNOWN_TAGS = new Set([
  'deposit', 'withdrawal', 'penalty', 'invoice', 'routed', 'pushed', 'channel_open', 'channel_close',
  'delayed_to_us', 'htlc_timeout', 'htlc_fulfill', 'htlc_tx', 'to_wallet', 'ignored', 'anchor', 'to_them',
  'penalized', 'stolen', 'to_miner', 'opener', 'lease_fee', 'leased', 'stealable', 'channel_proposed',
  'splice', 'penalty_adj', 'journal_entry', 'foreign',
]);

/**
 * A tag: CLN adds tags over time, so an unknown one is kept (and counted by the gateway),
 * not rejected; it only has to look like a tag.
 */
export const TAG_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
export const tagSchema = z.string().regex(TAG_PATTERN, 'expected a lower-case tag');

export function unknownTags(tags: readonly string[]): string[] {
  return tags.filter((tag) => !KNOWN_TAGS.has(tag));
}
