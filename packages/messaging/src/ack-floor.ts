import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsClient } from './nats-client.js';

export interface AckFloorWait {
  readonly stream: string;
  readonly durable: string;
  /**
   * The stream sequence the floor must reach; by default the consumer's last message at the
   * first look (delivered + pending: the consumer's filter takes the whole stream).
   */
  readonly target?: number;
  readonly timeoutMs: number;
  readonly pollMs?: number;
}

/**
 * Waits until a durable consumer has acknowledged every message of its stream up to
 * `target` (its ack floor is gap-free, whatever the number of replicas pulling from it) and
 * resolves with a sequence up to which every message is acknowledged: the floor, or with
 * nothing pending nor unacknowledged, the last message delivered (or the target). Null when
 * the deadline passed first. One consumer info per look.
 */
export async function waitForAckFloor(jsm: JetStreamManager, wait: AckFloorWait): Promise<number | null> {
  const deadline = Date.now() + wait.timeoutMs;
  let target = wait.target;
  for (;;) {
    const consumer = await jsm.consumers.info(wait.stream, wait.durable).catch(() => null);
    if (consumer) {
      target ??= consumer.delivered.stream_seq + consumer.num_pending;
      const floor = consumer.ack_floor.stream_seq;
      if (floor >= target) return floor;
      if (consumer.num_pending === 0 && consumer.num_ack_pending === 0) return Math.max(target, consumer.delivered.stream_seq);
    }
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs ?? 20));
  }
}

/**
 * The ledger consumer's floor on the movements stream: every fact up to it is stored (the
 * ledger acks after its commit). The horizon reporting and the reconciler read facts up to.
 */
export function waitForLedgerFloor(nats: NatsClient, wait: Pick<AckFloorWait, 'target' | 'timeoutMs'>): Promise<number | null> {
  return waitForAckFloor(nats.jsm, { stream: nats.names.streams.movements, durable: nats.names.consumers.ledger, ...wait });
}
