import { createInbox, headers, type Msg, type NatsConnection } from '@nats-io/transport-node';
import { JETSTREAM_TIMEOUT_MS, type NatsClient } from './nats-client.js';

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

const decoder = new TextDecoder();

/**
 * Publishes all requests pipelined (one round trip per batch, not per message) and resolves
 * once JetStream acknowledged every one of them. Any failure rejects with BusUnavailableError:
 * the caller then reports the whole batch as not accepted, and a resend is safe.
 *
 * What `js.publish` does per message, for a whole batch at once: each message goes out with its
 * Nats-Msg-Id header and a reply subject of its own, and the connection's PubAck inbox (one
 * subscription for every batch) collects the answers. nats.js's `js.publish` sends the same
 * bytes, but builds a promise, a timer and an Error (with its stack) per message, and spread
 * over its request machinery that cost more CPU than the gateway's parsing, validation and
 * normalization together.
 */
export async function publishAll(nats: NatsClient, requests: readonly PublishRequest[]): Promise<PublishOutcome[]> {
  if (!nats.isConnected) throw new BusUnavailableError(new Error('not connected to NATS'));
  if (requests.length === 0) return [];
  const connection = nats.connection;
  return new Promise<PublishOutcome[]>((resolve, reject) => {
    const outcomes = new Array<PublishOutcome | undefined>(requests.length);
    let waiting = requests.length;
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      batch.close();
      if (error === undefined) resolve(outcomes as PublishOutcome[]);
      else reject(new BusUnavailableError(error));
    };
    const batch = pubAckInboxOf(connection).open((i, ack) => {
      if (ack instanceof Error) return finish(ack);
      if (!(i >= 0 && i < outcomes.length) || outcomes[i] !== undefined) return; // not ours, or a second answer
      outcomes[i] = ack;
      if (--waiting === 0) finish();
    });
    const timer = setTimeout(
      () => finish(new Error(`no PubAck for ${waiting} of ${requests.length} messages within ${JETSTREAM_TIMEOUT_MS} ms`)),
      JETSTREAM_TIMEOUT_MS,
    );
    try {
      for (let i = 0; i < requests.length && !settled; i++) {
        const r = requests[i]!;
        const h = headers();
        h.set('Nats-Msg-Id', r.msgId);
        connection.publish(r.subject, r.payload instanceof Uint8Array ? r.payload : encodeJson(r.payload), { reply: batch.replyPrefix + i, headers: h });
      }
    } catch (error) {
      finish(error);
    }
  });
}

/** Gets message `i` of a batch's PubAck, or why it (or the inbox) failed. */
type PubAckHandler = (i: number, ack: PublishOutcome | Error) => void;

/**
 * Where one connection's PubAcks arrive: one subscription to `<inbox>.*.*`, message `i` of
 * batch `b` answered on `<inbox>.<b>.<i>` (as nats.js shares one inbox between its requests).
 * A batch — a single POST's one movement too — then costs no SUB and UNSUB of its own.
 */
class PubAckInbox {
  private readonly prefix = createInbox();
  private readonly batches = new Map<number, PubAckHandler>();
  private lastBatch = 0;

  constructor(connection: NatsConnection, onClosed: () => void) {
    const tokenStart = this.prefix.length + 1;
    const subscription = connection.subscribe(`${this.prefix}.*.*`, {
      callback: (error, msg) => {
        if (error) {
          for (const deliver of this.batches.values()) deliver(-1, error);
          return;
        }
        const dot = msg.subject.indexOf('.', tokenStart);
        this.batches.get(Number(msg.subject.slice(tokenStart, dot)))?.(Number(msg.subject.slice(dot + 1)), pubAckOf(msg));
      },
    });
    // Closed (the connection closed, or the server refused the subscription): the next batch opens a new inbox.
    void subscription.closed.then(onClosed, onClosed);
  }

  /** A batch's reply subjects (`replyPrefix` + its index) and its end: `close` once it is settled. */
  open(deliver: PubAckHandler): { readonly replyPrefix: string; close(): void } {
    const batch = ++this.lastBatch;
    this.batches.set(batch, deliver);
    return { replyPrefix: `${this.prefix}.${batch}.`, close: () => this.batches.delete(batch) };
  }
}

const pubAckInboxes = new WeakMap<NatsConnection, PubAckInbox>();

function pubAckInboxOf(connection: NatsConnection): PubAckInbox {
  let inbox = pubAckInboxes.get(connection);
  if (inbox === undefined) {
    const opened: PubAckInbox = new PubAckInbox(connection, () => {
      if (pubAckInboxes.get(connection) === opened) pubAckInboxes.delete(connection);
    });
    inbox = opened;
    pubAckInboxes.set(connection, inbox);
  }
  return inbox;
}

/** A PubAck (`{stream, seq, duplicate?}`), or why the message was not stored. */
function pubAckOf(msg: Msg): PublishOutcome | Error {
  if (msg.headers?.code === 503 || msg.data.length === 0) return new Error(`no JetStream stream answers ${msg.subject} (503 no responders)`);
  let ack: { stream?: unknown; seq?: unknown; duplicate?: unknown; error?: { code?: number; err_code?: number; description?: string } };
  try {
    ack = JSON.parse(decoder.decode(msg.data)) as typeof ack;
  } catch {
    return new Error('unreadable PubAck');
  }
  if (ack.error) return new Error(`JetStream refused the message: ${ack.error.description ?? 'error'} (${ack.error.err_code ?? ack.error.code ?? '?'})`);
  if (typeof ack.stream !== 'string' || ack.stream === '' || typeof ack.seq !== 'number') return new Error('invalid PubAck');
  return { seq: ack.seq, duplicate: ack.duplicate === true };
}
