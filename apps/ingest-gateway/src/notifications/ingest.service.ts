import { Inject, Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { movementToWire, nodeIdSchema, parseNotification, sourceNameSchema, unknownTags, type Movement } from '@bkpr/contracts';
import { normalizeNotification } from '@bkpr/domain';
import { BusUnavailableError, NatsClient, publishAll } from '@bkpr/messaging';
import { BearerTokens, SERVICE_CONFIG } from '@bkpr/service-kit';
import type { GatewayConfig } from '../config.js';
import { parseRequestBody } from './request-body.js';
import { METRICS } from './ingest.metrics.js';

/** A request to ingest, whichever transport it came by. */
export interface IngestRequest {
  readonly transport: 'http' | 'nats';
  readonly text: string;
  readonly contentType?: string | undefined;
  readonly authorization?: string | undefined;
  /** `?node_id=` */
  readonly nodeQuery?: string | undefined;
  /** `X-Bkpr-Node` */
  readonly nodeHeader?: string | undefined;
}

export interface IngestIssue {
  readonly index: number;
  readonly path: string;
  readonly message: string;
}

export interface IngestResponse {
  readonly status: 202 | 400 | 401 | 403 | 503;
  readonly body: Record<string, unknown>;
  readonly retryAfterSeconds?: number;
}

const MAX_ISSUES_REPORTED = 100;
const RETRY_AFTER_SECONDS = 5;
const MAX_UNKNOWN_TAG_LABELS = 100;

/**
 * Validates every notification of a request, normalizes them to movements and publishes
 * them with their ids as Nats-Msg-Id — all or nothing: one invalid item and nothing is
 * published; 202 only once JetStream acknowledged every movement.
 */
@Injectable()
export class IngestService {
  private readonly auth: BearerTokens;
  private readonly unknownTagLabels = new Set<string>();

  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(SERVICE_CONFIG) config: GatewayConfig,
    @InjectMetric(METRICS.requests) private readonly requests: Counter<'transport' | 'status'>,
    @InjectMetric(METRICS.movements) private readonly movementsCounter: Counter<'outcome'>,
    @InjectMetric(METRICS.unknownTags) private readonly unknownTagsCounter: Counter<'tag'>,
  ) {
    this.auth = new BearerTokens(config.tokens);
  }

  get open(): boolean {
    return this.auth.open;
  }

  async handle(request: IngestRequest): Promise<IngestResponse> {
    const response = await this.respond(request);
    this.requests.inc({ transport: request.transport, status: String(response.status) });
    return response;
  }

  private async respond(request: IngestRequest): Promise<IngestResponse> {
    const auth = this.auth.authenticate(request.authorization);
    if (!auth.ok) return { status: 401, body: { error: 'unauthorized', message: auth.message } };

    const node = chooseNode(request, auth.boundNodeId);
    if (!node.ok) return invalid([{ index: -1, path: 'node_id', message: node.message }]);
    if (auth.boundNodeId !== null && node.nodeId !== null && node.nodeId !== auth.boundNodeId) {
      return forbidden(`this token may write only for ${auth.boundNodeId}`);
    }

    const body = parseRequestBody(request.text, request.contentType);
    if (!body.ok) return { status: 400, body: { error: 'malformed body', message: body.message, line: body.line, column: body.column } };

    const { movements, issues } = this.validate(body.items, node.nodeId);
    if (issues.length > 0) return invalid(issues);
    const foreign = movements.find((m) => auth.boundNodeId !== null && m.nodeId !== auth.boundNodeId);
    if (foreign) return forbidden(`this token may write only for ${auth.boundNodeId}, not for ${foreign.nodeId}`);

    try {
      const published = await this.publish(movements);
      this.movementsCounter.inc({ outcome: 'accepted' }, published.accepted);
      this.movementsCounter.inc({ outcome: 'duplicate' }, published.duplicates);
      return { status: 202, body: published };
    } catch (error) {
      if (!(error instanceof BusUnavailableError)) throw error;
      return {
        status: 503,
        body: { error: 'bus unavailable', message: 'nothing was accepted; resending is safe' },
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      };
    }
  }

  /** Pure part: every item checked and normalized, every problem reported with index and path. */
  validate(items: readonly unknown[], nodeId: string | null): { movements: Movement[]; issues: IngestIssue[] } {
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
    if (issues.length === 0) this.countUnknownTags(movements);
    return { movements, issues };
  }

  private async publish(movements: readonly Movement[]): Promise<{ accepted: number; duplicates: number; seq: number | null }> {
    const names = this.nats.names;
    const outcomes = await publishAll(
      this.nats,
      movements.map((m) => ({ subject: names.movementSubject(m.nodeId, m.kind), payload: movementToWire(m), msgId: m.id })),
    );
    const duplicates = outcomes.filter((o) => o.duplicate).length;
    const seq = outcomes.reduce<number | null>((max, o) => (max === null || o.seq > max ? o.seq : max), null);
    return { accepted: outcomes.length - duplicates, duplicates, seq };
  }

  private countUnknownTags(movements: readonly Movement[]): void {
    for (const m of movements) {
      for (const tag of unknownTags([m.primaryTag, ...m.extraTags].filter((t) => t !== 'balance_snapshot'))) {
        if (this.unknownTagLabels.size < MAX_UNKNOWN_TAG_LABELS) this.unknownTagLabels.add(tag);
        this.unknownTagsCounter.inc({ tag: this.unknownTagLabels.has(tag) ? tag : 'other' });
      }
    }
  }
}

function chooseNode(request: IngestRequest, boundNodeId: string | null): { ok: true; nodeId: string | null } | { ok: false; message: string } {
  const given = request.nodeQuery ?? request.nodeHeader;
  if (given === undefined || given === '') return { ok: true, nodeId: boundNodeId };
  const asNode = nodeIdSchema.safeParse(given);
  if (asNode.success) return { ok: true, nodeId: asNode.data };
  const asSource = sourceNameSchema.safeParse(given);
  if (asSource.success) return { ok: true, nodeId: asSource.data };
  return { ok: false, message: asSource.error.issues[0]!.message };
}

function invalid(issues: readonly IngestIssue[]): IngestResponse {
  return {
    status: 400,
    body: { error: 'invalid notification', issues: issues.slice(0, MAX_ISSUES_REPORTED), issue_count: issues.length },
  };
}

function forbidden(message: string): IngestResponse {
  return { status: 403, body: { error: 'forbidden', message } };
}
