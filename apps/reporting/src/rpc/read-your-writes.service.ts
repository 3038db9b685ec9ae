import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { NatsClient } from '@bkpr/messaging';

const WAIT_MS = 5_000;
const POLL_MS = 20;
export const LEDGER_CONSUMER = 'ledger';

/**
 * A query reflects every notification acknowledged before it started: before answering we
 * wait (bounded, then 503) until the ledger's shared consumer has acknowledged the movements
 * stream up to where it was when the query began. Its ack floor is gap-free whatever the
 * number of ledger replicas, and the ledger acks only after its commit. The answer carries
 * that point as `as_of`.
 */
@Injectable()
export class ReadYourWritesService {
  constructor(@Inject(NatsClient) private readonly nats: NatsClient) {}

  /** Resolves with the stream sequence the answer reflects. */
  async caughtUp(): Promise<number> {
    const { streams } = this.nats.names;
    const target = (await this.nats.jsm.streams.info(streams.movements)).state.last_seq;
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const consumer = await this.nats.jsm.consumers.info(streams.movements, LEDGER_CONSUMER).catch(() => null);
      if (consumer && consumer.ack_floor.stream_seq >= target) return target;
      if (consumer && consumer.num_pending === 0 && consumer.num_ack_pending === 0) return target;
      if (Date.now() > deadline) {
        throw new HttpException({ code: -32000, message: 'the ledger is behind; retry shortly' }, HttpStatus.SERVICE_UNAVAILABLE, { cause: undefined });
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
