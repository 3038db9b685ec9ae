import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { BatchConsumer, type BatchConsumerLogger } from './batch-consumer.js';
import type { JetStreamBatch, JetStreamBinding } from './jetstream-binding.js';
import type { NatsClient } from './nats-client.js';

/**
 * A Nest microservice transport over JetStream durable pull consumers: each binding runs a
 * BatchConsumer and calls the `@EventPattern` handler of its pattern with a
 * JetStreamBatch; messages are acked only after the handler resolved.
 */
export class JetStreamTransport extends Server implements CustomTransportStrategy {
  private readonly consumers = new Map<string, BatchConsumer<unknown>>();

  constructor(
    private readonly nats: NatsClient,
    private readonly bindings: readonly JetStreamBinding[],
    private readonly log: BatchConsumerLogger,
  ) {
    super();
  }

  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    try {
      for (const binding of this.bindings) {
        const handler = this.getHandlerByPattern(binding.pattern);
        if (!handler) throw new Error(`no @EventPattern('${binding.pattern}') handler is registered`);
        const consumer = new BatchConsumer<unknown>({
          js: this.nats.js,
          stream: binding.stream,
          durable: binding.durable,
          dlqSubject: binding.dlqSubject,
          maxDeliver: binding.maxDeliver,
          batchSize: binding.batchSize,
          concurrency: binding.concurrency ?? 1,
          fetchExpiresMs: binding.fetchExpiresMs,
          decode: binding.decode,
          logger: this.log,
          handle: async (messages) => {
            const batch: JetStreamBatch<unknown> = {
              messages,
              lastStreamSeq: Math.max(...messages.map((m) => m.streamSeq)),
            };
            await lastValueFrom(this.transformToObservable(await handler(batch)), { defaultValue: undefined });
          },
        });
        this.consumers.set(binding.pattern, consumer);
        consumer.start();
      }
      callback();
    } catch (error) {
      callback(error);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers.values()].map((c) => c.stop()));
    this.consumers.clear();
  }

  /** Per-binding health, for the readiness probe. */
  health(): Record<string, ReturnType<BatchConsumer<unknown>['health']>> {
    return Object.fromEntries([...this.consumers].map(([pattern, c]) => [pattern, c.health()]));
  }

  on(): never {
    throw new Error('JetStreamTransport does not emit events');
  }

  unwrap<T>(): T {
    return this.nats as T;
  }
}
