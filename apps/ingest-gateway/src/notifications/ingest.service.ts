import { Inject, Injectable } from '@nestjs/common';
import { movementToWire, notificationBodySchema, unwrapEnvelope, type Movement } from '@bkpr/contracts';
import { normalizeNotification } from '@bkpr/domain';
import { NatsClient, publishAll } from '@bkpr/messaging';

export interface IngestIssue {
  readonly index: number;
  readonly path: string;
  readonly message: string;
}

export type IngestResult =
  | { readonly ok: true; readonly accepted: number; readonly duplicates: number; readonly seq: number | null }
  | { readonly ok: false; readonly issues: readonly IngestIssue[] };

/**
 * Validates every notification of a request, normalizes them to movements and publishes
 * them, all or nothing: one invalid item and nothing is published.
 */
@Injectable()
export class IngestService {
  constructor(@Inject(NatsClient) private readonly nats: NatsClient) {}

  validate(items: readonly unknown[]): { movements: Movement[]; issues: IngestIssue[] } {
    const movements: Movement[] = [];
    const issues: IngestIssue[] = [];
    items.forEach((item, index) => {
      const parsed = notificationBodySchema.safeParse(unwrapEnvelope(item));
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          issues.push({ index, path: issue.path.join('.'), message: issue.message });
        }
        return;
      }
      movements.push(...normalizeNotification(parsed.data));
    });
    return { movements, issues };
  }

  async ingest(items: readonly unknown[]): Promise<IngestResult> {
    const { movements, issues } = this.validate(items);
    if (issues.length > 0) return { ok: false, issues };
    const names = this.nats.names;
    const outcomes = await publishAll(
      this.nats.js,
      movements.map((m) => ({ subject: names.movementSubject(m.nodeId, m.kind), payload: movementToWire(m), msgId: m.id })),
    );
    const duplicates = outcomes.filter((o) => o.duplicate).length;
    const seq = outcomes.reduce<number | null>((max, o) => (max === null || o.seq > max ? o.seq : max), null);
    return { ok: true, accepted: outcomes.length - duplicates, duplicates, seq };
  }
}
