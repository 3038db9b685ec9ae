import type { RecordedEvent, RecordedMovement } from './recorded.js';
import { isInteger, isObject, isTextOrNull, MOVEMENT_KIND_SET } from './wire-checks.js';

/** What the schema's `z.number().int().positive()` certainly accepts (a safe integer from 1). */
const isStreamSeq = (n: unknown): n is number => isInteger(n) && n > 0;

/**
 * A `recorded` announcement (version 2, as every ledger now publishes) checked by plain tests
 * when it is certainly valid: the value recordedEventSchema gives (the same keys in the same
 * order, unknown ones left out), or undefined to let the schema decide and name the problem.
 * An announcement lists up to 1,000 movements; zod took ≈ 1 µs for each. apps/reconciler's
 * `recorded-wire.spec.ts` holds it to the schema.
 */
export function recordedFromWire(json: unknown): RecordedEvent | undefined {
  if (!isObject(json) || json['v'] !== 2) return undefined;
  const nodeId = json['node_id'];
  const kind = json['kind'];
  const streamSeq = json['stream_seq'];
  const listed = json['movements'];
  if (typeof nodeId !== 'string' || !MOVEMENT_KIND_SET.has(kind) || !isStreamSeq(streamSeq) || !Array.isArray(listed) || listed.length === 0) return undefined;
  const movements = new Array<RecordedMovement>(listed.length);
  for (let i = 0; i < listed.length; i++) {
    const m: unknown = listed[i];
    if (!isObject(m)) return undefined;
    const { movement_id, account, outpoint, spending_txid, stream_seq } = m;
    if (typeof movement_id !== 'string' || typeof account !== 'string' || !isTextOrNull(outpoint) || !isTextOrNull(spending_txid) || !isStreamSeq(stream_seq)) return undefined;
    movements[i] = { movement_id, account, outpoint, spending_txid, stream_seq };
  }
  return { v: 2, node_id: nodeId, kind: kind as RecordedEvent['kind'], stream_seq: streamSeq, movements };
}
