import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Subscription } from '@nats-io/transport-node';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { NatsClient, requestHeader, serveRequests } from '@bkpr/messaging';
import { IngestService } from './ingest.service.js';

const QUEUE_GROUP = 'ingest-gateway';

/**
 * `<ns>.ingest` request/reply: the same bodies and answers as `POST /v1/notifications`.
 * Request headers `Authorization`, `X-Bkpr-Node`, `Content-Type`; the reply carries the
 * status in the `Bkpr-Status` header. Replicas share the work through a queue group.
 */
@Injectable()
export class IngestResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | null = null;

  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(IngestService) private readonly ingest: IngestService,
    @InjectPinoLogger(IngestResponder.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    const subject = this.nats.names.ingestSubject;
    this.subscription = serveRequests(this.nats, {
      subject,
      queue: QUEUE_GROUP,
      handle: async (msg) => {
        const result = await this.ingest.handle({
          transport: 'nats',
          body: msg.data,
          contentType: requestHeader(msg, 'Content-Type'),
          authorization: requestHeader(msg, 'Authorization'),
          nodeHeader: requestHeader(msg, 'X-Bkpr-Node'),
        });
        const retry = result.retryAfterSeconds !== undefined ? { 'Retry-After': String(result.retryAfterSeconds) } : undefined;
        return { status: result.status, body: JSON.stringify(result.body), ...(retry ? { headers: retry } : {}) };
      },
      failed: (failure) => {
        this.logger.error({ err: (failure as Error).message }, 'ingest request failed');
        return { status: 500, body: JSON.stringify({ error: 'internal error' }) };
      },
      // Its answers are a few hundred bytes (at most 100 issues are listed).
      tooLarge: (bytes, limit) => ({ status: 500, body: JSON.stringify({ error: 'internal error', message: `answer of ${bytes} bytes is more than NATS carries (${limit})` }) }),
    });
    this.logger.info({ subject, queue: QUEUE_GROUP }, 'answering ingest requests on NATS');
    if (this.ingest.open) {
      this.logger.warn('BKPR_INGEST_TOKENS is not set: anyone who reaches the gateway may write movements');
    }
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }
}
