import type { z } from 'zod';
import { coinMovementSchema, fastCoinMovement, type CoinMovement } from './coin-movement.schema.js';
import { balanceSnapshotSchema, type BalanceSnapshot } from './balance-snapshot.schema.js';
import { utxoDepositSchema, utxoSpendSchema, type UtxoDeposit, type UtxoSpend } from './utxo-event.schema.js';

/** A validated notification, by name. */
export type Notification =
  | { readonly name: 'coin_movement'; readonly body: CoinMovement }
  | { readonly name: 'balance_snapshot'; readonly body: readonly BalanceSnapshot[] }
  | { readonly name: 'utxo_deposit'; readonly body: UtxoDeposit }
  | { readonly name: 'utxo_spend'; readonly body: UtxoSpend };

export const NOTIFICATION_SCHEMAS = {
  coin_movement: coinMovementSchema,
  balance_snapshot: balanceSnapshotSchema,
  utxo_deposit: utxoDepositSchema,
  utxo_spend: utxoSpendSchema,
} as const;
export type NotificationName = keyof typeof NOTIFICATION_SCHEMAS;
const NAMES = Object.keys(NOTIFICATION_SCHEMAS) as NotificationName[];

export interface NotificationIssue {
  /** Dotted path inside the (unwrapped) notification, e.g. `coin_movement.credit_msat`. */
  readonly path: string;
  readonly message: string;
}

export type NotificationParseResult =
  | { readonly ok: true; readonly notification: Notification }
  | { readonly ok: false; readonly issues: readonly NotificationIssue[] };

/**
 * Unwraps the envelopes a notification can arrive in: bare (`{"coin_movement": …}`),
 * JSON-RPC (`{"jsonrpc":"2.0","method":"coin_movement","params":{…}}`) or a custom
 * notification forwarded by a plugin (`{"origin": "…", "payload": {…}}`), nested or not.
 */
export function unwrapEnvelope(input: unknown, depth = 0): unknown {
  if (depth > 4 || input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const record = input as Record<string, unknown>;
  if (record['jsonrpc'] === '2.0' && 'params' in record) return unwrapEnvelope(record['params'], depth + 1);
  if ('payload' in record && Object.keys(record).every((k) => k === 'origin' || k === 'payload')) {
    return unwrapEnvelope(record['payload'], depth + 1);
  }
  return input;
}

/** Validates one notification body in any envelope; every problem comes with its field path. */
export function parseNotification(input: unknown): NotificationParseResult {
  const body = unwrapEnvelope(input);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, issues: [{ path: '', message: `expected an object with one of ${NAMES.join(', ')}` }] };
  }
  const keys = Object.keys(body);
  const named = keys.filter((k): k is NotificationName => (NAMES as string[]).includes(k));
  if (named.length !== 1 || keys.length !== 1) {
    const extra = keys.filter((k) => !(NAMES as string[]).includes(k));
    const message =
      named.length === 0
        ? `expected one of ${NAMES.join(', ')}${extra.length ? `, got ${extra.slice(0, 3).join(', ')}` : ''}`
        : `expected exactly one notification, got ${keys.slice(0, 5).join(', ')}`;
    return { ok: false, issues: [{ path: '', message }] };
  }
  const name = named[0]!;
  const value = (body as Record<string, unknown>)[name];
  if (name === 'coin_movement') {
    const fast = fastCoinMovement(value);
    if (fast !== undefined) return { ok: true, notification: { name, body: fast } };
  }
  const parsed = (NOTIFICATION_SCHEMAS[name] as z.ZodType).safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({ path: [name, ...issue.path.map(String)].join('.'), message: issue.message })),
    };
  }
  return { ok: true, notification: { name, body: parsed.data } as Notification };
}
