import { hash } from 'node:crypto';
import { movementToWire, type Movement } from '@bkpr/contracts';

/**
 * A movement's id when CLN gives no `created_index`: SHA-256 over its canonical normalized
 * content — the wire form with an empty id, whose keys `movementToWire` always writes in
 * the same order — so the same movement sent twice, in any JSON key order or amount
 * notation, gets the same id.
 */
export function contentMovementId(movement: Omit<Movement, 'id'>): string {
  return hash('sha256', JSON.stringify(movementToWire(movement)), 'hex');
}

/**
 * A movement's id when CLN numbers it (`created_index`). CLN counts chain and channel moves
 * separately, so the kind is part of the id: `<node>:chain:<n>` and `<node>:channel:<n>`.
 */
export function indexedMovementId(nodeId: string, kind: string, createdIndex: bigint): string {
  return `${nodeId}:${kind}:${createdIndex.toString(10)}`;
}
