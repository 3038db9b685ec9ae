import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { headers as natsHeaders, type Subscription } from '@nats-io/transport-node';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { NatsClient } from '@bkpr/messaging';
import { IngestService } from './ingest.service.js';

const QUEUE_GROUP = 'ingest-gateway';
const decoder = new TextDecoder();

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
    this.subscription = this.nats.connection.subscribe(subject, {
      queue: QUEUE_GROUP,
      callback: (error, msg) => {
        if (error) {
          this.logger.warn({ err: error.message, subject }, 'ingest subscription error');
          return;
        }
        void this.ingest
          .handle({
            transport: 'nats',
            text: decoder.decode(msg.data),
            contentType: msg.headers?.get('Content-Type') || undefined,
            authorization: msg.headers?.get('Authorization') || undefined,
            nodeHeader: msg.headers?.get('X-Bkpr-Node') || undefined,
          })
          .then((result) => {
            const h = natsHeaders();
            h.set('Bkpr-Status', String(result.status));
            if (result.retryAfterSeconds !== undefined) h.set('Retry-After', String(result.retryAfterSeconds));
            msg.respond(JSON.stringify(result.body), { headers: h });
          })
          .catch((failure: unknown) => {
            this.logger.error({ err: (failure as Error).message }, 'ingest request failed');
            const h = natsHeaders();
            h.set('Bkpr-Status', '500');
            msg.respond(JSON.stringify({ error: 'internal error' }), { headers: h });
          });
      },
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
