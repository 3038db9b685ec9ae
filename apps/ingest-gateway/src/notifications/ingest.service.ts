import { Inject, Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { nodeIdSchema, sourceNameSchema } from '@bkpr/contracts';
import { BusUnavailableError, NatsClient, publishAll } from '@bkpr/messaging';
import { BearerTokens, SERVICE_CONFIG } from '@bkpr/service-kit';
import type { GatewayConfig } from '../config.js';
import { invalidBody, type BodyCheckResult, type IngestIssue } from './ingest.check.js';
import { IngestWorkers } from './ingest.workers.js';
import { METRICS } from './ingest.metrics.js';

/** A request to ingest, whichever transport it came by. */
export interface IngestRequest {
  readonly transport: 'http' | 'nats';
  /** The body as received: its bytes (UTF-8), or text already decoded. */
  readonly body: string | Uint8Array;
  readonly contentType?: string | undefined;
  readonly authorization?: string | undefined;
  /** `?node_id=` */
  readonly nodeQuery?: string | undefined;
  /** `X-Bkpr-Node` */
  readonly nodeHeader?: string | undefined;
}

export type { IngestIssue } from './ingest.check.js';

export interface IngestResponse {
  readonly status: 202 | 400 | 401 | 403 | 503;
  readonly body: Record<string, unknown>;
  readonly retryAfterSeconds?: number;
}

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
    @Inject(IngestWorkers) private readonly workers: IngestWorkers,
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

    const checked = await this.workers.check({ body: request.body, contentType: request.contentType, nodeId: node.nodeId, namespace: this.nats.names.namespace });
    if (!checked.ok) return { status: 400, body: checked.body };
    this.countUnknownTags(checked.unknownTags);
    const foreign = checked.nodeIds.find((nodeId) => auth.boundNodeId !== null && nodeId !== auth.boundNodeId);
    if (foreign) return forbidden(`this token may write only for ${auth.boundNodeId}, not for ${foreign}`);

    try {
      const published = await this.publish(checked);
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

  private async publish(checked: Extract<BodyCheckResult, { ok: true }>): Promise<{ accepted: number; duplicates: number; seq: number | null }> {
    const { subjects, msgIds, payloads, ends } = checked;
    const outcomes = await publishAll(
      this.nats,
      subjects.map((subject, i) => ({ subject, payload: payloads.subarray(i === 0 ? 0 : ends[i - 1], ends[i]), msgId: msgIds[i]! })),
    );
    const duplicates = outcomes.filter((o) => o.duplicate).length;
    const seq = outcomes.reduce<number | null>((max, o) => (max === null || o.seq > max ? o.seq : max), null);
    return { accepted: outcomes.length - duplicates, duplicates, seq };
  }

  private countUnknownTags(tags: readonly string[]): void {
    for (const tag of tags) {
      if (this.unknownTagLabels.size < MAX_UNKNOWN_TAG_LABELS) this.unknownTagLabels.add(tag);
      this.unknownTagsCounter.inc({ tag: this.unknownTagLabels.has(tag) ? tag : 'other' });
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
  return { status: 400, body: invalidBody(issues) };
}

function forbidden(message: string): IngestResponse {
  return { status: 403, body: { error: 'forbidden', message } };
}
