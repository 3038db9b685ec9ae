import type { ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { deliveryOf, type Delivery } from './delivery.js';

/** How long a partial batch waits for one more message before it is handled. */
const LINGER_MS = 20;

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
  /** How long one pull request waits on the server (at least 1 s, a JetStream rule). */
  readonly fetchExpiresMs: number;
  /** Throws PoisonMessageError for a message no retry can fix. */
  readonly decode: (msg: JsMsg) => T;
  /** Does the work for the whole batch durably; messages are acked only after it resolves. */
  readonly handle: (batch: readonly DecodedMessage<T>[]) => Promise<void>;
  readonly logger: BatchConsumerLogger;
  /** Delay before the first redelivery of a message whose handling failed transiently; doubles after. */
  readonly retryDelayMs?: number;
  /**
   * Batches handled at the same time (default 1). Above 1 the handler must not depend on
   * batches finishing in stream order (the ledger: facts are read by stream sequence up to
   * the ack floor, which JetStream keeps gap-free).
   */
  readonly concurrency?: number;
}

/**
 * The consume loop: pull messages from a durable consumer, cut them into batches, decode,
 * hand each batch to the handler, ack after it returned. A failing batch is retried one message at a time to
 * isolate the bad one; a message that is poison, or failed `maxDeliver` times, goes to the
 * dead-letter subject and is terminated, so the consumer keeps going. Re-created after
 * any failure of the fetch itself (NATS restart, consumer recreated).
 */
export class BatchConsumer<T> {
  private running = false;
  private messages: ConsumerMessages | null = null;
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
    await this.messages?.close();
    await this.loop;
  }

  /** Healthy while the loop runs and its last fetch did not fail. */
  health(): { running: boolean; lastError: string | null; lastFetchAt: number; processed: number } {
    return { running: this.running, lastError: this.lastError, lastFetchAt: this.lastFetchAt, processed: this.processedCount };
  }

  private async run(): Promise<void> {
    const { js, stream, durable, logger } = this.options;
    while (this.running) {
      try {
        const consumer = await js.consumers.get(stream, durable);
        this.messages = await consumer.consume({ max_messages: this.options.batchSize * ((this.options.concurrency ?? 1) + 1), expires: this.options.fetchExpiresMs });
        this.lastError = null;
        await this.drain(this.messages);
      } catch (error) {
        this.lastError = (error as Error).message;
        logger.warn({ stream, durable, err: this.lastError }, 'consume loop failed; re-creating the consumer');
        await sleep(1_000);
      }
    }
  }

  /**
   * Cuts the message flow into batches and hands them over, up to `concurrency` at a time.
   */
  private async drain(messages: ConsumerMessages): Promise<void> {
    const iterator = messages[Symbol.asyncIterator]();
    const inFlight = new Set<Promise<void>>();
    const concurrency = this.options.concurrency ?? 1;
    // A batch that failed beyond its own retries (the connection went away): the consume is re-created.
    let failure: unknown = null;
    let next = iterator.next();
    try {
      while (this.running && failure === null) {
        const batch = await this.nextBatch(iterator, next);
        if (batch === null) return;
        next = batch.next;
        this.lastFetchAt = Date.now();
        const handled: Promise<void> = this.process(batch.messages, batch.deliveries)
          .catch((error: unknown) => void (failure ??= error))
          .finally(() => inFlight.delete(handled));
        inFlight.add(handled);
        if (inFlight.size >= concurrency) await Promise.race(inFlight);
      }
      if (failure !== null) throw failure;
    } finally {
      await Promise.all(inFlight);
    }
  }

  /**
   * Waits for a first message, then takes what follows: a batch closes when it is full, when
   * the consumer has nothing more pending (so a lone message is handled at once), or when no
   * further message arrived within the linger time (another replica may be taking them).
   */
  private async nextBatch(
    iterator: AsyncIterator<JsMsg>,
    pending: Promise<IteratorResult<JsMsg>>,
  ): Promise<{ messages: JsMsg[]; deliveries: Delivery[]; next: Promise<IteratorResult<JsMsg>> } | null> {
    const first = await pending;
    if (first.done) return null;
    let next = iterator.next();
    const batch: JsMsg[] = [first.value];
    const deliveries: Delivery[] = [deliveryOf(first.value)];
    // One timer per batch, not one per message (that was ≈ 5 % of the ledger's CPU): it
    // fires when LINGER_MS passed since the last message arrived.
    let lastArrival = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const lingered = new Promise<null>((resolve) => {
      const check = () => {
        const quiet = Date.now() - lastArrival;
        if (quiet >= LINGER_MS) resolve(null);
        else timer = setTimeout(check, LINGER_MS - quiet);
      };
      timer = setTimeout(check, LINGER_MS);
    });
    try {
      while (batch.length < this.options.batchSize && deliveries[deliveries.length - 1]!.pending > 0) {
        // Always raced: the iterator's getPending() counts a pull request it ran as a message
        // still to come, so a batch that trusted it could wait past the linger for a message
        // another replica took.
        const more = await Promise.race([next, lingered]);
        if (more === null || more.done) break;
        lastArrival = Date.now();
        next = iterator.next();
        batch.push(more.value);
        deliveries.push(deliveryOf(more.value));
      }
    } finally {
      clearTimeout(timer);
    }
    return { messages: batch, deliveries, next };
  }

  private async process(batch: JsMsg[], deliveries: readonly Delivery[]): Promise<void> {
    const decoded: { msg: JsMsg; item: DecodedMessage<T> }[] = [];
    for (let k = 0; k < batch.length; k++) {
      const msg = batch[k]!;
      try {
        decoded.push({ msg, item: this.decode(msg, deliveries[k]!) });
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

  private decode(msg: JsMsg, delivery: Delivery): DecodedMessage<T> {
    return {
      value: this.options.decode(msg),
      subject: msg.subject,
      streamSeq: delivery.streamSeq,
      deliveryCount: delivery.deliveryCount,
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
    msg.nak(this.retryDelay(msg.info.deliveryCount));
  }

  /** Doubles with each delivery, up to a minute. */
  private retryDelay(deliveryCount: number): number {
    const base = this.options.retryDelayMs ?? 1_000;
    return Math.min(60_000, base * 2 ** Math.max(0, deliveryCount - 1));
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
      // No reason on term(): servers before 2.10 do not parse it and would redeliver.
      msg.term();
      this.options.logger.error(
        { subject: msg.subject, seq: msg.info.streamSequence, deliveries: msg.info.deliveryCount, reason },
        'message dead-lettered',
      );
    } catch (publishError) {
      // Could not park it: leave it for redelivery rather than lose it.
      this.options.logger.error({ err: (publishError as Error).message }, 'dead-letter publish failed');
      msg.nak(this.retryDelay(msg.info.deliveryCount));
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

