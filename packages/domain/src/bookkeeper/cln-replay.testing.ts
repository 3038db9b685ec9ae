import { parseNotification } from '@bkpr/contracts';
import { normalizeNotification } from '../normalize.js';
import { answerCommand, type ReadParams } from './answer.js';
import { describedEventsJson } from './descriptions.js';
import type { Fact } from './facts.js';
import { factFromMovement } from './from-movement.js';
import { keepBooks } from './keep-books.js';

/** JSON as the services send it: bigint msat become plain integers. */
export const plain = (value: unknown): any => JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)));

/**
 * One node's bookkeeper fed CLN-shaped notifications in order, as the conformance replay does
 * (parse → normalize → fact → keepBooks → answer; a re-sent movement dropped, as the ledger
 * drops it), and asked bkpr commands.
 */
export class ReplayedNode {
  private readonly facts: Fact[] = [];
  private readonly seen = new Set<string>();
  private seq = 1n;

  constructor(private readonly nodeId: string) {}

  send(...notifications: unknown[]): this {
    for (const params of notifications) {
      const parsed = parseNotification(params);
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      const normalized = normalizeNotification(parsed.notification, { nodeId: this.nodeId });
      if (!normalized.ok) throw new Error(normalized.message);
      for (const m of normalized.movements) {
        if (this.seen.has(m.id)) continue;
        this.seen.add(m.id);
        this.facts.push(factFromMovement(m, this.seq++));
      }
    }
    return this;
  }

  /** A command's answer as JSON, or `{error: {code, message}}`. */
  ask(method: string, params: ReadParams = {}): Record<string, any> {
    const result = answerCommand(keepBooks(this.facts), method, params);
    if (!result.ok) return { error: { code: result.code, message: result.message } };
    return plain(result.value);
  }

  /** An operator's description edit: the events it updated. */
  edit(by: 'outpoint' | 'payment_id', key: string, description: string): Record<string, unknown>[] {
    this.facts.push({ type: 'description', seq: this.seq++, by, key, description });
    return plain(describedEventsJson(keepBooks(this.facts), by, key).updated);
  }
}
