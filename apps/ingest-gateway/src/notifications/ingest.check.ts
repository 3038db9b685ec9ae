import { busNames, KNOWN_TAGS, parseNotification, unknownTags, unwrapEnvelope, type Movement } from '@bkpr/contracts';
import { normalizeAndEncode, type EncodedMovement } from '@bkpr/domain';
import { parseRequestBody } from './request-body.js';

export interface IngestIssue {
  readonly index: number;
  readonly path: string;
  readonly message: string;
}

/** Every item checked and normalized, every problem reported with its index and path. */
export function validateNotifications(items: readonly unknown[], nodeId: string | null): { movements: Movement[]; issues: IngestIssue[] } {
  const { encoded, issues } = validateAndEncode(items, nodeId);
  return { movements: encoded.map((e) => e.movement), issues };
}

/** `validateNotifications`, each movement with its wire form. */
function validateAndEncode(items: readonly unknown[], nodeId: string | null): { encoded: EncodedMovement[]; issues: IngestIssue[] } {
  const encoded: EncodedMovement[] = [];
  const issues: IngestIssue[] = [];
  for (let index = 0; index < items.length; index++) {
    const parsed = parseNotification(items[index]);
    if (!parsed.ok) {
      for (const issue of parsed.issues) issues.push({ index, ...issue });
      continue;
    }
    const normalized = normalizeAndEncode(parsed.notification, { nodeId });
    if (!normalized.ok) {
      issues.push({ index, path: normalized.path, message: normalized.message });
      continue;
    }
    // JSON.stringify writes a lone surrogate as a `\udxxx` escape (a pair is written as itself),
    // so only a wire form holding that text can carry one: look for where it came from then.
    const unpaired = normalized.movements.some((e) => e.json.includes('\\ud')) ? loneSurrogatePath(unwrapEnvelope(items[index]), '') : null;
    if (unpaired !== null) {
      issues.push({ index, path: unpaired, message: 'text with an unpaired UTF-16 surrogate (a \\uD800–\\uDFFF escape without its other half) is not Unicode and cannot be stored' });
      continue;
    }
    for (const e of normalized.movements) encoded.push(e);
  }
  return { encoded, issues };
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The dotted path of the first key or text in `value` holding a lone surrogate, or null.
 * PostgreSQL's text cannot store one: accepted, such a movement would reach the ledger and
 * only ever be dead-lettered there.
 */
function loneSurrogatePath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const at = path === '' ? key : `${path}.${key}`;
    if (LONE_SURROGATE.test(key)) return at;
    const found = loneSurrogatePath(inner, at);
    if (found !== null) return found;
  }
  return null;
}

/** The tags of these movements that are not in the known set, once per occurrence. */
export function unknownTagsOf(movements: readonly Movement[]): string[] {
  const unknown: string[] = [];
  for (const m of movements) {
    if (!KNOWN_TAGS.has(m.primaryTag) && m.primaryTag !== 'balance_snapshot') unknown.push(m.primaryTag);
    if (m.extraTags.length > 0) unknown.push(...unknownTags(m.extraTags.filter((t) => t !== 'balance_snapshot')));
  }
  return unknown;
}

export interface BodyCheck {
  /** The body as received: its bytes (UTF-8, decoded here: in the worker, off the main thread), or text. */
  readonly body: string | Uint8Array;
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

/**
 * What the gateway does with a request body before it publishes (run in a worker thread, off
 * the thread that talks HTTP and NATS): parse, validate, normalize, encode — all or nothing.
 */
export function checkBody(request: BodyCheck): BodyCheckResult {
  const body = parseRequestBody(textOf(request.body), request.contentType);
  if (!body.ok) return { ok: false, body: { error: 'malformed body', message: body.message, line: body.line, column: body.column } };
  const { encoded, issues } = validateAndEncode(body.items, request.nodeId);
  if (issues.length > 0) return { ok: false, body: invalidBody(issues) };

  const names = busNames(request.namespace);
  const count = encoded.length;
  const subjects = new Array<string>(count);
  const msgIds = new Array<string>(count);
  const movements = new Array<Movement>(count);
  const ends = new Uint32Array(count);
  const nodeIds = new Set<string>();
  let chars = 0;
  for (const e of encoded) chars += e.json.length;
  // Each wire form UTF-8-encoded straight into one buffer (its byte length is what write returns):
  // no concatenated text to flatten, no second pass to count bytes. Room for ASCII; grown if not.
  let payloads: Buffer = Buffer.allocUnsafeSlow(chars + 1024);
  let end = 0;
  for (let i = 0; i < count; i++) {
    const { movement: m, json: wire } = encoded[i]!;
    movements[i] = m;
    subjects[i] = names.movementSubject(m.nodeId, m.kind);
    msgIds[i] = m.id;
    nodeIds.add(m.nodeId);
    if (payloads.length - end < wire.length * 3) payloads = grown(payloads, end, wire.length * 3);
    ends[i] = end += payloads.write(wire, end);
  }
  return {
    ok: true,
    nodeIds: [...nodeIds],
    subjects,
    msgIds,
    payloads: new Uint8Array(payloads.buffer, 0, end),
    ends,
    unknownTags: unknownTagsOf(movements),
  };
}

function grown(buffer: Buffer, used: number, needed: number): Buffer {
  const bigger = Buffer.allocUnsafeSlow(Math.max(buffer.length * 2, used + needed));
  buffer.copy(bigger, 0, 0, used);
  return bigger;
}

/** UTF-8 bytes as text, a leading byte order mark dropped (as express's text parser did). */
function textOf(body: string | Uint8Array): string {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function invalidBody(issues: readonly IngestIssue[]): Record<string, unknown> {
  return { error: 'invalid notification', issues: issues.slice(0, MAX_ISSUES_REPORTED), issue_count: issues.length };
}
