import type { NatsClient } from './nats-client.js';

export interface PublishRequest {
  readonly subject: string;
  /** A wire form, sent as JSON, or its bytes already encoded. */
  readonly payload: unknown;
  /** Nats-Msg-Id: JetStream drops a second message with the same id inside its duplicate window. */
  readonly msgId: string;
}

export interface PublishOutcome {
  readonly seq: number;
  readonly duplicate: boolean;
}

export class BusUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`JetStream did not store the message: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'BusUnavailableError';
  }
}

const encoder = new TextEncoder();

/** Our bus payloads are wire forms: plain JSON, msat already as decimal strings. */
export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/**
 * Publishes all requests pipelined (one round trip per batch, not per message) and resolves
 * once JetStream acknowledged every one of them. Any failure rejects with BusUnavailableError:
 * the caller then reports the whole batch as not accepted, and a resend is safe.
 */
export async function publishAll(nats: NatsClient, requests: readonly PublishRequest[]): Promise<PublishOutcome[]> {
  if (!nats.isConnected) throw new BusUnavailableError(new Error('not connected to NATS'));
  try {
    const acks = await Promise.all(
      requests.map((r) => nats.js.publish(r.subject, r.payload instanceof Uint8Array ? r.payload : encodeJson(r.payload), { msgID: r.msgId })),
    );
    return acks.map((ack) => ({ seq: ack.seq, duplicate: ack.duplicate }));
  } catch (error) {
    throw new BusUnavailableError(error);
  }
}
