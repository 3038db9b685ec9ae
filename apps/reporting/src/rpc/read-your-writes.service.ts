import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { NatsClient, waitForLedgerFloor } from '@bkpr/messaging';

const WAIT_MS = 5_000;

/**
 * A query reflects every notification acknowledged before it started: before answering we
 * wait (bounded, then 503) until the ledger's shared consumer has acknowledged the movements
 * stream up to where it was when the query began. Its ack floor is gap-free whatever the
 * number of ledger replicas, and the ledger acks only after its commit, so every fact up to
 * that point is stored. The answer carries that point as `as_of`, and the books are read up
 * to it.
 */
@Injectable()
export class ReadYourWritesService {
  constructor(@Inject(NatsClient) private readonly nats: NatsClient) {}

  /** Resolves with the stream sequence the answer reflects. */
  async caughtUp(): Promise<number> {
    const asOf = await waitForLedgerFloor(this.nats, { timeoutMs: WAIT_MS });
    if (asOf === null) {
      throw new HttpException({ code: -32000, message: 'the ledger is behind; retry shortly' }, HttpStatus.SERVICE_UNAVAILABLE, { cause: undefined });
    }
    return asOf;
  }
}
