import type { Consumer, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';

/** A message that can never succeed (undecodable, violates the contract): dead-letter it at once. */
export class PoisonMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PoisonMessageError';
  }
}

export interface DecodedMessage<T> {
  readonly value: T;
  readonly subject: string;
  readonly streamSeq: number;
  readonly deliveryCount: number;
}

export interface BatchConsumerLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface BatchConsumerOptions<T> {
  readonly js: JetStreamClient;
  readonly stream: string;
  readonly durable: string;
  /** Where poison and exhausted messages go, with the reason in headers. */
  readonly dlqSubject: string;
  readonly maxDeliver: number;
  readonly batchSize: number;
  readonly fetchExpiresMs: number;
  /** Throws PoisonMessageError for a message no retry can fix. */
  readonly decode: (msg: JsMsg) => T;
  /** Does the work for the whole batch durably; messages are acked only after it resolves. */
  readonly handle: (batch: readonly DecodedMessage<T>[]) => Promise<void>;
  readonly logger: BatchConsumerLogger;
  /** Delay before redelivery of a message whose handling failed transiently. */
  readonly retryDelayMs?: number;
}

/**
 * The consume loop: fetch a batch from a durable pull consumer, decode, hand the batch to
 * the handler, ack after it returned. A failing batch is retried one message at a time to
 * isolate the bad one; a message that is poison, or failed `maxDeliver` times, goes to the
 * dead-letter subject and is terminated, so the consumer keeps going. Re-created after
 * any failure of the fetch itself (NATS restart, consumer recreated).
 */
export class BatchConsumer<T> {
  private running = false;
  private loop: Promise<void> | null = null;
  private lastError: string | null = null;
  private lastFetchAt = 0;
  private processedCount = 0;

  constructor(private readonly options: BatchConsumerOptions<T>) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Healthy while the loop runs and its last fetch did not fail. */
  health(): { running: boolean; lastError: string | null; lastFetchAt: number; processed: number } {
    return { running: this.running, lastError: this.lastError, lastFetchAt: this.lastFetchAt, processed: this.processedCount };
  }

  private async run(): Promise<void> {
    const { js, stream, durable, logger } = this.options;
    let consumer: Consumer | null = null;
    while (this.running) {
      try {
        consumer ??= await js.consumers.get(stream, durable);
        const messages = await consumer.fetch({ max_messages: this.options.batchSize, expires: this.options.fetchExpiresMs });
        const batch: JsMsg[] = [];
        for await (const msg of messages) batch.push(msg);
        this.lastFetchAt = Date.now();
        this.lastError = null;
        if (batch.length > 0) await this.process(batch);
      } catch (error) {
        this.lastError = (error as Error).message;
        consumer = null;
        logger.warn({ stream, durable, err: this.lastError }, 'consume loop failed; re-creating the consumer');
        await sleep(1_000);
      }
    }
  }

  private async process(batch: JsMsg[]): Promise<void> {
    const decoded: { msg: JsMsg; item: DecodedMessage<T> }[] = [];
    for (const msg of batch) {
      try {
        decoded.push({ msg, item: this.decode(msg) });
      } catch (error) {
        await this.deadLetter(msg, error);
      }
    }
    if (decoded.length === 0) return;
    try {
      await this.options.handle(decoded.map((d) => d.item));
      for (const d of decoded) d.msg.ack();
      this.processedCount += decoded.length;
      return;
    } catch (error) {
      if (decoded.length === 1) return this.failed(decoded[0]!.msg, error);
      this.options.logger.warn({ size: decoded.length, err: (error as Error).message }, 'batch failed; retrying its messages one by one');
    }
    for (const d of decoded) {
      try {
        await this.options.handle([d.item]);
        d.msg.ack();
        this.processedCount += 1;
      } catch (error) {
        await this.failed(d.msg, error);
      }
    }
  }

  private decode(msg: JsMsg): DecodedMessage<T> {
    return {
      value: this.options.decode(msg),
      subject: msg.subject,
      streamSeq: msg.info.streamSequence,
      deliveryCount: msg.info.deliveryCount,
    };
  }

  private async failed(msg: JsMsg, error: unknown): Promise<void> {
    if (error instanceof PoisonMessageError || msg.info.deliveryCount >= this.options.maxDeliver) {
      await this.deadLetter(msg, error);
      return;
    }
    this.options.logger.warn(
      { subject: msg.subject, seq: msg.info.streamSequence, deliveries: msg.info.deliveryCount, err: (error as Error).message },
      'message failed; will be redelivered',
    );
    msg.nak(this.options.retryDelayMs ?? 1_000);
  }

  private async deadLetter(msg: JsMsg, error: unknown): Promise<void> {
    const reason = (error as Error)?.message ?? String(error);
    const h = natsHeaders();
    h.set('Bkpr-Dlq-Reason', reason.slice(0, 1_000));
    h.set('Bkpr-Original-Subject', msg.subject);
    h.set('Bkpr-Original-Seq', String(msg.info.streamSequence));
    h.set('Bkpr-Deliveries', String(msg.info.deliveryCount));
    try {
      await this.options.js.publish(this.options.dlqSubject, msg.data, {
        headers: h,
        msgID: `${this.options.durable}:${msg.info.streamSequence}`,
      });
      msg.term(reason.slice(0, 200));
      this.options.logger.error(
        { subject: msg.subject, seq: msg.info.streamSequence, deliveries: msg.info.deliveryCount, reason },
        'message dead-lettered',
      );
    } catch (publishError) {
      // Could not park it: leave it for redelivery rather than lose it.
      this.options.logger.error({ err: (publishError as Error).message }, 'dead-letter publish failed');
      msg.nak(this.options.retryDelayMs ?? 1_000);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

