import { MOVEMENT_KINDS } from './names.js';

/*
 * The plain checks the fast decoders of wire messages share (movementFromWire,
 * recordedFromWire): each certainly accepts only what the zod schema accepts too.
 */

export const MOVEMENT_KIND_SET: ReadonlySet<unknown> = new Set(MOVEMENT_KINDS);

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
export const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
