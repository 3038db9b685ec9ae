import { z } from 'zod';
import { msatSchema } from './msat.js';
import { nodeIdSchema } from './hex.js';
import { accountNameSchema, blockheightSchema, coinTypeSchema, unixSecondsSchema } from './primitives.js';

const snapshotAccountSchema = z
  .object({
    account_id: accountNameSchema,
    balance_msat: msatSchema.optional(),
    /** Older spelling in CLN's developer guide. */
    balance: msatSchema.optional(),
    coin_type: coinTypeSchema,
  })
  .superRefine((a, ctx) => {
    if (a.balance_msat === undefined && a.balance === undefined) {
      ctx.addIssue({ code: 'custom', path: ['balance_msat'], message: 'expected balance_msat (or balance)' });
    }
  })
  .transform((a) => ({ accountId: a.account_id, balanceMsat: (a.balance_msat ?? a.balance)!, coinType: a.coin_type }));

const snapshotSchema = z
  .object({
    node_id: nodeIdSchema,
    blockheight: blockheightSchema,
    timestamp: unixSecondsSchema,
    accounts: z.array(snapshotAccountSchema).max(100_000),
  })
  .transform((s) => ({ nodeId: s.node_id, blockheight: s.blockheight, timestamp: s.timestamp, accounts: s.accounts }));

/**
 * `balance_snapshot`: what the node believes each account holds. CLN's plugin receives one
 * object; its developer guide shows a list. Both are accepted; the output is always a list.
 */
export const balanceSnapshotSchema = z.unknown().transform((value, ctx): BalanceSnapshot[] => {
  const parsed = Array.isArray(value) ? snapshotListSchema.safeParse(value) : snapshotSchema.transform((s) => [s]).safeParse(value);
  if (parsed.success) return parsed.data;
  // Forward the issues with their own paths (a union would fold them into one at the root).
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

const snapshotListSchema = z.array(snapshotSchema).min(1, 'expected at least one snapshot').max(1_000);

export type BalanceSnapshot = z.output<typeof snapshotSchema>;
