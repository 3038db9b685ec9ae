import { AckPolicy, DeliverPolicy, RetentionPolicy, StorageType, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { BusNames } from '@bkpr/contracts';

/** How long JetStream remembers a Nats-Msg-Id to drop re-sends. PostgreSQL catches what it misses. */
export const DUPLICATE_WINDOW_MS = 10 * 60_000;

export interface StreamProvisioning {
  /** Replicas per stream: 1 on one host, 3 in a cluster. */
  readonly replicas: number;
}

/** The namespace's streams, as code. Creating them again is harmless; changed settings are applied. */
export async function provisionStreams(jsm: JetStreamManager, names: BusNames, options: StreamProvisioning = { replicas: 1 }): Promise<void> {
  const common: Partial<StreamConfig> = {
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    num_replicas: options.replicas,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
  };
  await upsertStream(jsm, { ...common, name: names.streams.movements, subjects: [names.movementFilter] });
  await upsertStream(jsm, { ...common, name: names.streams.recorded, subjects: [names.recordedFilter] });
  await upsertStream(jsm, { ...common, name: names.streams.derived, subjects: [names.derivedFilter] });
  await upsertStream(jsm, { ...common, name: names.streams.dlq, subjects: [names.dlqFilter] });
}

async function upsertStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.add(config);
  } catch (error) {
    if (!isAlreadyInUse(error)) throw error;
    await jsm.streams.update(config.name, config);
  }
}

export interface ConsumerProvisioning {
  readonly stream: string;
  readonly durable: string;
  readonly filterSubject: string;
  /** Deliveries before a message is dead-lettered. */
  readonly maxDeliver: number;
  readonly ackWaitMs: number;
  readonly maxAckPending: number;
}

/**
 * A durable pull consumer shared by every replica of a service. No server-side `backoff`:
 * it would shorten the first ack wait to its first step and redeliver messages still
 * waiting in a replica's batch. Retry delays are the consumer's naks (see BatchConsumer).
 */
export async function provisionConsumer(jsm: JetStreamManager, c: ConsumerProvisioning): Promise<void> {
  const config = {
    durable_name: c.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: c.filterSubject,
    max_deliver: c.maxDeliver,
    ack_wait: nanos(c.ackWaitMs),
    max_ack_pending: c.maxAckPending,
  };
  try {
    await jsm.consumers.add(c.stream, config);
  } catch (error) {
    if (!isAlreadyInUse(error)) throw error;
    const { durable_name: _durable, deliver_policy: _deliver, ...updatable } = config;
    await jsm.consumers.update(c.stream, c.durable, updatable);
  }
}

function isAlreadyInUse(error: unknown): boolean {
  const message = (error as Error)?.message ?? '';
  return /already in use|already exists|consumer name already/i.test(message);
}
