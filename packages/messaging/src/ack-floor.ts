import type { JetStreamManager } from '@nats-io/jetstream';

export interface AckFloorWait {
  readonly stream: string;
  readonly durable: string;
  /** The stream sequence the floor must reach. */
  readonly target: number;
  readonly timeoutMs: number;
  readonly pollMs?: number;
}

/**
 * Waits until a durable consumer has acknowledged every message of its stream up to
 * `target` (its ack floor is gap-free, whatever the number of replicas pulling from it) and
 * resolves with the floor; with nothing pending nor unacknowledged, with the target. Null
 * when the deadline passed first.
 */
export async function waitForAckFloor(jsm: JetStreamManager, wait: AckFloorWait): Promise<number | null> {
  const deadline = Date.now() + wait.timeoutMs;
  for (;;) {
    const consumer = await jsm.consumers.info(wait.stream, wait.durable).catch(() => null);
    if (consumer) {
      const floor = consumer.ack_floor.stream_seq;
      if (floor >= wait.target) return floor;
      if (consumer.num_pending === 0 && consumer.num_ack_pending === 0) return wait.target;
    }
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs ?? 20));
  }
}
