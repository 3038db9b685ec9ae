import { createHash } from 'node:crypto';
import { movementToWire, type Movement } from '@bkpr/contracts';

/**
 * A movement's id when CLN gives no `created_index`: SHA-256 over its canonical
 * normalized content (the wire form without the id, keys sorted), so the same
 * movement sent twice, in any JSON key order, gets the same id.
 */
export function contentMovementId(movement: Omit<Movement, 'id'>): string {
  const wire: Record<string, unknown> = { ...movementToWire({ ...movement, id: '' }) };
  delete wire['id'];
  return createHash('sha256').update(canonicalJson(wire)).digest('hex');
}

/**
 * A movement's id when CLN numbers it (`created_index`). CLN counts chain and channel moves
 * separately, so the kind is part of the id: `<node>:chain:<n>` and `<node>:channel:<n>`.
 */
export function indexedMovementId(nodeId: string, kind: string, createdIndex: bigint): string {
  return `${nodeId}:${kind}:${createdIndex.toString(10)}`;
}

/** JSON with object keys sorted at every level: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
