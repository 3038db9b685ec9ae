import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { NatsClient } from '@bkpr/messaging';
import { FactsQuery } from '@bkpr/persistence';

const WAIT_MS = 5_000;
const POLL_MS = 25;
export const LEDGER_CONSUMER = 'ledger';

/**
 * A query reflects every notification acknowledged before it started: before answering we
 * wait (bounded) until the ledger has stored the movements stream up to where it was when
 * the query began. The answer carries that point as `as_of`.
 */
@Injectable()
export class ReadYourWritesService {
  private readonly facts: FactsQuery;

  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(DataSource) dataSource: DataSource,
  ) {
    this.facts = new FactsQuery(dataSource);
  }

  /** Resolves with the stream sequence the answer reflects. */
  async caughtUp(): Promise<number> {
    const target = (await this.nats.jsm.streams.info(this.nats.names.streams.movements)).state.last_seq;
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      if ((await this.facts.ledgerWatermark(LEDGER_CONSUMER)) >= BigInt(target)) return target;
      // Dead-lettered or duplicate-only tails never move the watermark: an idle consumer is caught up.
      const consumer = await this.nats.jsm.consumers.info(this.nats.names.streams.movements, LEDGER_CONSUMER).catch(() => null);
      if (consumer && consumer.num_pending === 0 && consumer.num_ack_pending === 0 && consumer.delivered.stream_seq >= target) return target;
      if (Date.now() > deadline) {
        throw new HttpException({ code: -32000, message: 'the ledger is behind; retry shortly' }, HttpStatus.SERVICE_UNAVAILABLE);
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
