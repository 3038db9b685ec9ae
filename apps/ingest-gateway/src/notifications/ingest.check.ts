import { busNames, movementToWire, parseNotification, unknownTags, type Movement } from '@bkpr/contracts';
import { normalizeNotification } from '@bkpr/domain';
import { parseRequestBody } from './request-body.js';

export interface IngestIssue {
  readonly index: number;
  readonly path: string;
  readonly message: string;
}

/** Every item checked and normalized, every problem reported with its index and path. */
export function validateNotifications(items: readonly unknown[], nodeId: string | null): { movements: Movement[]; issues: IngestIssue[] } {
  const movements: Movement[] = [];
  const issues: IngestIssue[] = [];
  items.forEach((item, index) => {
    const parsed = parseNotification(item);
    if (!parsed.ok) {
      for (const issue of parsed.issues) issues.push({ index, ...issue });
      return;
    }
    const normalized = normalizeNotification(parsed.notification, { nodeId });
    if (!normalized.ok) {
      issues.push({ index, path: normalized.path, message: normalized.message });
      return;
    }
    movements.push(...normalized.movements);
  });
  return { movements, issues };
}

/** The tags of these movements that are not in the known set, once per occurrence. */
export function unknownTagsOf(movements: readonly Movement[]): string[] {
  return movements.flatMap((m) => unknownTags([m.primaryTag, ...m.extraTags].filter((t) => t !== 'balance_snapshot')));
}

export interface BodyCheck {
  readonly text: string;
  readonly contentType: string | undefined;
  /** The node the request is for (`?node_id=`, header or token), if it said. */
  readonly nodeId: string | null;
  readonly namespace: string;
}

/** A body refused (400, with where and why), or its movements ready to publish. */
export type BodyCheckResult =
  | { readonly ok: false; readonly body: Record<string, unknown> }
  | {
      readonly ok: true;
      /** The nodes the movements are for, in order of first appearance. */
      readonly nodeIds: readonly string[];
      readonly subjects: readonly string[];
      readonly msgIds: readonly string[];
      /** Every movement's wire form, one after the other: movement i is `payloads[ends[i - 1] ?? 0 .. ends[i]]`. */
      readonly payloads: Uint8Array;
      readonly ends: Uint32Array;
      readonly unknownTags: readonly string[];
    };

const MAX_ISSUES_REPORTED = 100;
const encoder = new TextEncoder();

/**
 * What the gateway does with a request body before it publishes (run in a worker thread, off
 * the thread that talks HTTP and NATS): parse, validate, normalize, encode — all or nothing.
 */
export function checkBody(request: BodyCheck): BodyCheckResult {
  const body = parseRequestBody(request.text, request.contentType);
  if (!body.ok) return { ok: false, body: { error: 'malformed body', message: body.message, line: body.line, column: body.column } };
  const { movements, issues } = validateNotifications(body.items, request.nodeId);
  if (issues.length > 0) return { ok: false, body: invalidBody(issues) };

  const names = busNames(request.namespace);
  const wire = movements.map((m) => JSON.stringify(movementToWire(m)));
  const ends = new Uint32Array(wire.length);
  let end = 0;
  wire.forEach((json, i) => (ends[i] = end += Buffer.byteLength(json)));
  return {
    ok: true,
    nodeIds: [...new Set(movements.map((m) => m.nodeId))],
    subjects: movements.map((m) => names.movementSubject(m.nodeId, m.kind)),
    msgIds: movements.map((m) => m.id),
    payloads: encoder.encode(wire.join('')),
    ends,
    unknownTags: unknownTagsOf(movements),
  };
}

export function invalidBody(issues: readonly IngestIssue[]): Record<string, unknown> {
  return { error: 'invalid notification', issues: issues.slice(0, MAX_ISSUES_REPORTED), issue_count: issues.length };
}
