import { hash } from 'node:crypto';
import { movementToWire, type Movement } from '@bkpr/contracts';

/**
 * A movement's id when CLN gives no `created_index`: SHA-256 over its canonical normalized
 * content — the wire form with an empty id, whose keys `movementToWire` always writes in
 * the same order — so the same movement sent twice, in any JSON key order or amount
 * notation, gets the same id.
 */
export function contentMovementId(movement: Omit<Movement, 'id'>): string {
  return contentIdOfWire(idlessWireJson(movement));
}

/** The wire form of a movement whose id is not known yet (`"id":""`): what a content id hashes. */
export function idlessWireJson(movement: Omit<Movement, 'id'>): string {
  return JSON.stringify(movementToWire(movement));
}

/** The content id of an `idlessWireJson`. */
export function contentIdOfWire(idlessJson: string): string {
  return hash('sha256', idlessJson, 'hex');
}

const IDLESS_PREFIX = '{"v":1,"id":""';
const ID_PREFIX = '{"v":1,"id":';

/** The wire form with its id, from the one without: the id spliced in, the rest of the text as it is. */
export function wireJsonWithId(idlessJson: string, id: string): string {
  if (!idlessJson.startsWith(IDLESS_PREFIX)) throw new Error(`not an id-less movement wire form: ${idlessJson.slice(0, 40)}`);
  return ID_PREFIX + JSON.stringify(id) + idlessJson.slice(IDLESS_PREFIX.length);
}

/**
 * A movement's id when CLN numbers it (`created_index`). CLN counts chain and channel moves
 * separately, so the kind is part of the id: `<node>:chain:<n>` and `<node>:channel:<n>`.
 */
export function indexedMovementId(nodeId: string, kind: string, createdIndex: bigint): string {
  return `${nodeId}:${kind}:${createdIndex.toString(10)}`;
}
