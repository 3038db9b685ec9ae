import { z } from 'zod';
import { coinMovementV2Schema } from './coin-movement.schema.js';

/** The notification bodies the gateway accepts, keyed by notification name. */
export const notificationBodySchema = z.object({ coin_movement: coinMovementV2Schema }).strict();
export type NotificationBody = z.output<typeof notificationBodySchema>;

/**
 * Unwraps the envelopes a notification can arrive in: bare (`{"coin_movement": …}`),
 * JSON-RPC (`{"jsonrpc":"2.0","method":"coin_movement","params":{…}}`) or a custom
 * notification forwarded by a plugin (`{"origin": "…", "payload": {…}}`).
 */
export function unwrapEnvelope(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const record = input as Record<string, unknown>;
  if (record['jsonrpc'] === '2.0' && typeof record['method'] === 'string' && 'params' in record) {
    return unwrapEnvelope(record['params']);
  }
  if ('origin' in record && 'payload' in record && Object.keys(record).length === 2) {
    return unwrapEnvelope(record['payload']);
  }
  return input;
}
