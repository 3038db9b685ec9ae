import { headers as natsHeaders, type Msg, type Subscription } from '@nats-io/transport-node';
import type { NatsClient } from './nats-client.js';

/** An answer on NATS: the body as an HTTP one would be, the status in `Bkpr-Status`. */
export interface Reply {
  readonly status: number;
  /** Text, or its UTF-8 bytes. */
  readonly body: string | Uint8Array;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RequestServer {
  readonly subject: string;
  /** Replicas share the requests through this queue group. */
  readonly queue: string;
  readonly handle: (msg: Msg) => Promise<Reply>;
  /** The reply when `handle` itself failed (a bug, not a bad request), or its reply could not be sent. */
  readonly failed: (error: unknown, msg: Msg) => Reply;
  /** The reply instead of one whose body (`bytes` long) is more than the bus carries in one message (`limit`). */
  readonly tooLarge: (bytes: number, limit: number) => Reply;
}

/** Room left in a message for the reply's headers. */
const HEADER_ROOM_BYTES = 4 * 1024;

/**
 * The longest reply body this connection can send: the server's `max_payload` (1 MiB unless
 * configured) counts headers and body together; a longer one is refused by the client.
 */
export function replyBodyLimit(nats: NatsClient): number {
  return (nats.connection.info?.max_payload ?? 1024 * 1024) - HEADER_ROOM_BYTES;
}

/** Answers request/reply on a subject: the same bodies and statuses as the HTTP twin. */
export function serveRequests(nats: NatsClient, server: RequestServer): Subscription {
  const send = (msg: Msg, reply: Reply) => {
    const h = natsHeaders();
    h.set('Bkpr-Status', String(reply.status));
    for (const [name, value] of Object.entries(reply.headers ?? {})) h.set(name, value);
    msg.respond(reply.body, { headers: h });
  };
  const respond = (msg: Msg, reply: Reply) => {
    const bytes = typeof reply.body === 'string' ? Buffer.byteLength(reply.body) : reply.body.byteLength;
    const limit = replyBodyLimit(nats);
    try {
      send(msg, bytes > limit ? server.tooLarge(bytes, limit) : reply);
    } catch (error) {
      // The client refused to send it (the connection closing, say): say so once if possible.
      try {
        send(msg, server.failed(error, msg));
      } catch {
        // No way to answer: the requester's own timeout tells it.
      }
    }
  };
  return nats.connection.subscribe(server.subject, {
    queue: server.queue,
    callback: (error, msg) => {
      if (error) return;
      void server.handle(msg).then(
        (reply) => respond(msg, reply),
        (failure: unknown) => respond(msg, server.failed(failure, msg)),
      );
    },
  });
}

/** A request header, or undefined when absent or empty. */
export function requestHeader(msg: Msg, name: string): string | undefined {
  return msg.headers?.get(name) || undefined;
}
