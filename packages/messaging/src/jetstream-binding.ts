import type { JsMsg } from '@nats-io/jetstream';
import type { DecodedMessage } from './batch-consumer.js';

// What binds a handler to a stream through JetStreamTransport, which has an import path of its
// own (`@bkpr/messaging/transport`): it imports @nestjs/microservices, which a service without
// bus consumers does not use.

/** What a handler bound through this transport receives: one fetched batch. */
export interface JetStreamBatch<T> {
  readonly messages: readonly DecodedMessage<T>[];
  /** Highest stream sequence in the batch, for the consumer's watermark. */
  readonly lastStreamSeq: number;
}

export interface JetStreamBinding<T = unknown> {
  /** The `@EventPattern` of the handler that does the work for each batch. */
  readonly pattern: string;
  readonly stream: string;
  readonly durable: string;
  readonly dlqSubject: string;
  readonly maxDeliver: number;
  readonly batchSize: number;
  /** Batches handled at the same time (see BatchConsumerOptions.concurrency). */
  readonly concurrency?: number;
  readonly fetchExpiresMs: number;
  readonly decode: (msg: JsMsg) => T;
}
