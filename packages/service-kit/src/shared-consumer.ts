import type { JsMsg } from '@nats-io/jetstream';
import { provisionConsumer, type JetStreamBinding, type NatsClient } from '@bkpr/messaging';

export interface SharedConsumerSpec<T> {
  /** The service; also the durable consumer's name and its dead-letter subject's last token. */
  readonly service: string;
  readonly stream: string;
  readonly filterSubject: string;
  /** The `@EventPattern` that receives each batch. */
  readonly pattern: string;
  readonly maxDeliver: number;
  readonly ackWaitMs: number;
  readonly batchSize: number;
  /** Batches one replica handles at the same time (default 1). */
  readonly concurrency?: number;
  readonly decode: (msg: JsMsg) => T;
}

const FETCH_EXPIRES_MS = 1_000;
/** Replicas that can all have their buffers full at once (the production autoscaler's maximum). */
const REPLICAS_FED = 4;

/**
 * Provisions the durable pull consumer that every replica of a service shares (JetStream
 * hands each message to one of them) and returns the transport binding for it.
 */
export async function sharedPullConsumer<T>(nats: NatsClient, spec: SharedConsumerSpec<T>): Promise<JetStreamBinding<T>> {
  await provisionConsumer(nats.jsm, {
    stream: spec.stream,
    durable: spec.service,
    filterSubject: spec.filterSubject,
    maxDeliver: spec.maxDeliver,
    ackWaitMs: spec.ackWaitMs,
    // Each replica buffers its batches in flight plus the next one.
    maxAckPending: spec.batchSize * ((spec.concurrency ?? 1) + 1) * REPLICAS_FED,
  });
  return {
    pattern: spec.pattern,
    stream: spec.stream,
    durable: spec.service,
    dlqSubject: nats.names.dlqSubject(spec.service),
    maxDeliver: spec.maxDeliver,
    batchSize: spec.batchSize,
    concurrency: spec.concurrency ?? 1,
    fetchExpiresMs: FETCH_EXPIRES_MS,
    decode: spec.decode,
  };
}
